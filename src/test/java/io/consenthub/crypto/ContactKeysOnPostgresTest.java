package io.consenthub.crypto;

import io.consenthub.support.PostgresTestDatabase;
import io.consenthub.support.RequiresPostgres;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.sql.DriverManager;
import java.sql.SQLException;

/** Per-contact keys on PostgreSQL, a fresh schema per test. */
@ExtendWith(RequiresPostgres.class)
class ContactKeysOnPostgresTest extends ContactKeysTest {

    private static final String NAME = "consent_hub_keys_test";

    @Override
    DataSource database() {
        PostgresTestDatabase.freshSchema(NAME);
        try (var connection = DriverManager.getConnection(PostgresTestDatabase.ADMIN_URL, "postgres", "");
             var statement = connection.createStatement()) {
            statement.execute("drop schema if exists " + schema() + " cascade");
            statement.execute("create schema " + schema());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        var pg = new PGSimpleDataSource();
        pg.setURL(PostgresTestDatabase.ADMIN_URL + "?currentSchema=" + schema());
        pg.setUser("postgres");
        return pg;
    }

    @Override
    String schema() {
        return PostgresTestDatabase.schema(NAME);
    }
}
