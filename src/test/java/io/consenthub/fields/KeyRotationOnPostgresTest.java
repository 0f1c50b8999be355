package io.consenthub.fields;

import io.consenthub.support.PostgresTestDatabase;
import io.consenthub.support.RequiresPostgres;
import org.junit.jupiter.api.extension.ExtendWith;

/** Key rotations over PostgreSQL, the production store, one schema kept across the three starts. */
@ExtendWith(RequiresPostgres.class)
class KeyRotationOnPostgresTest extends KeyRotationContract {

    private String url;

    @Override
    String[] store() {
        if (url == null) {
            url = PostgresTestDatabase.freshSchema("consent_hub_rotation_test");
        }
        return new String[] {url, "postgres", ""};
    }
}
