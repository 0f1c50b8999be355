package io.consenthub.consent;

import org.h2.jdbcx.JdbcDataSource;

import javax.sql.DataSource;
import java.util.UUID;

/** Migration 12.1 on H2 in the hub's PostgreSQL mode. */
class LedgerEvidenceMigrationOnH2Test extends LedgerEvidenceMigrationTest {

    @Override
    DataSource freshDatabase() {
        var h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:migration-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
        h2.setUser("sa");
        return h2;
    }

    @Override
    String schema() {
        return null;
    }
}
