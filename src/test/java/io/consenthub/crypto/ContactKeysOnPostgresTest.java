package io.consenthub.crypto;

import io.consenthub.support.PostgresTestDatabase;
import io.consenthub.support.RequiresPostgres;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.sql.DataSource;

/** Per-contact keys on PostgreSQL, a fresh schema per test. */
@ExtendWith(RequiresPostgres.class)
class ContactKeysOnPostgresTest extends ContactKeysTest {

    private static final String NAME = "consent_hub_keys_test";

    @Override
    DataSource database() {
        return PostgresTestDatabase.emptySchema(NAME);
    }

    @Override
    String schema() {
        return PostgresTestDatabase.schema(NAME);
    }
}
