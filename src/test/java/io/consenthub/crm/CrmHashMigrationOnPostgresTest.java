package io.consenthub.crm;

import io.consenthub.support.PostgresTestDatabase;
import io.consenthub.support.RequiresPostgres;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.sql.DataSource;

/** Migration 17.1 on PostgreSQL, in a fresh schema. */
@ExtendWith(RequiresPostgres.class)
class CrmHashMigrationOnPostgresTest extends CrmHashMigrationTest {

    private static final String NAME = "consent_hub_hash_migration_test";

    @Override
    DataSource database() {
        return PostgresTestDatabase.emptySchema(NAME);
    }

    @Override
    String schema() {
        return PostgresTestDatabase.schema(NAME);
    }
}
