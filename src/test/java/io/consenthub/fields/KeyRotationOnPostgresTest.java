package io.consenthub.fields;

import io.consenthub.support.PostgresTestDatabase;
import io.consenthub.support.RequiresPostgres;
import org.junit.jupiter.api.extension.ExtendWith;

/** Key rotations over PostgreSQL, the production store, one schema, emptied for each test, kept across its starts. */
@ExtendWith(RequiresPostgres.class)
class KeyRotationOnPostgresTest extends KeyRotationContract {

    private String url;

    @Override
    String[] store() {
        if (url == null) {
            // emptied for each test: the schema outlives a test, the keysets it was written with do not
            PostgresTestDatabase.emptySchema("consent_hub_rotation_test");
            url = PostgresTestDatabase.freshSchema("consent_hub_rotation_test");
        }
        return new String[] {url, "postgres", ""};
    }
}
