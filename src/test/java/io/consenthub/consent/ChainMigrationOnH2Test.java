package io.consenthub.consent;

import org.h2.jdbcx.JdbcDataSource;

import javax.sql.DataSource;
import java.util.UUID;

/** Migration 20.1 on H2 in the hub's PostgreSQL mode. */
class ChainMigrationOnH2Test extends ChainMigrationTest {

    @Override
    DataSource freshDatabase() {
        var h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:chain-migration-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
        h2.setUser("sa");
        return h2;
    }

    @Override
    String schema() {
        return null;
    }
}
