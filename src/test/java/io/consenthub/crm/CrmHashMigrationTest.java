package io.consenthub.crm;

import io.consenthub.crypto.ContactKeysAccess;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Migration 17.1 on a store written by an earlier version: the bare row and value hashes become the
 * keyed ones the sync now computes for the same content, so nothing reads as changed, and no bare
 * hash of a value is left.
 */
class CrmHashMigrationTest {

    /** The store; H2 here, PostgreSQL in the subclass. */
    javax.sql.DataSource database() {
        return new DriverManagerDataSource("jdbc:h2:mem:hash-migration-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "sa", "");
    }

    /** The schema Flyway works in, or null for the connection's default. */
    String schema() {
        return null;
    }

    private org.flywaydb.core.api.configuration.FluentConfiguration flyway(javax.sql.DataSource ds) {
        var config = Flyway.configure().dataSource(ds).locations("classpath:db/migration");
        return schema() == null ? config : config.defaultSchema(schema()).schemas(schema());
    }

    private final CrmHashes hashes = new CrmHashes(ContactKeysAccess.testIndexKey());

    @Test
    void bareHashesBecomeTheKeyedHashesOfTheSameContentInPlace() {
        var ds = database();
        flyway(ds).target("17").load().migrate();
        var jdbc = JdbcClient.create(ds);
        Map<String, String> row = Map.of("email", "anna@example.com", "nationalId", "19850101-1234");
        String bareRow = RowHash.of(row);
        String bareValue = CrmHashes.bareValue("19850101-1234");
        jdbc.sql("insert into crm_record (connector_id, external_id, row_hash, deleted_in_crm, last_synced_at, value_hashes) "
                        + "values ('crm', '1', ?, false, current_timestamp, ?)")
                .params(bareRow, "nationalId=" + bareValue).update();
        jdbc.sql("insert into crm_opt_out_record (connector_id, external_id, row_hash) values ('crm', '1', ?)").param(bareRow).update();

        flyway(ds).javaMigrations(new CrmHashMigration(hashes)).load().migrate();

        var stored = jdbc.sql("select row_hash, value_hashes from crm_record where external_id = '1'")
                .query((rs, n) -> new String[] {rs.getString(1).trim(), rs.getString(2)}).single();
        assertThat(stored[0]).isEqualTo(hashes.row(bareRow)).isNotEqualTo(bareRow);
        assertThat(stored[1]).isEqualTo("nationalId=" + hashes.value("19850101-1234")).doesNotContain(bareValue);
        assertThat(jdbc.sql("select row_hash from crm_opt_out_record").query(String.class).single().trim())
                .isEqualTo(hashes.row(bareRow));
    }
}
