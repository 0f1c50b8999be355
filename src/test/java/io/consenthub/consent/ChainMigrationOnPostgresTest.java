package io.consenthub.consent;

import io.consenthub.support.PostgresTestDatabase;
import io.consenthub.support.RequiresPostgres;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.sql.DataSource;

/** Migration 20.1 on PostgreSQL, a fresh schema per test. */
@ExtendWith(RequiresPostgres.class)
class ChainMigrationOnPostgresTest extends ChainMigrationTest {

    private static final String NAME = "consent_hub_chain_migration_test";

    @Override
    DataSource freshDatabase() {
        return PostgresTestDatabase.emptySchema(NAME);
    }

    @Override
    String schema() {
        return PostgresTestDatabase.schema(NAME);
    }
}
