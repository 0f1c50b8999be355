package io.consenthub.consent;

import io.consenthub.support.PostgresTestDatabase;
import io.consenthub.support.RequiresPostgres;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.sql.DataSource;

/** Signed checkpoints on PostgreSQL, a fresh schema per test. */
@ExtendWith(RequiresPostgres.class)
class LedgerCheckpointsOnPostgresTest extends LedgerCheckpointsContract {

    private static final String NAME = "consent_hub_checkpoints_test";

    @Override
    DataSource freshDatabase() {
        return PostgresTestDatabase.emptySchema(NAME);
    }

    @Override
    String schema() {
        return PostgresTestDatabase.schema(NAME);
    }
}
