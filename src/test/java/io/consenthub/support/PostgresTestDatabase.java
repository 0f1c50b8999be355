package io.consenthub.support;

import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * A fresh schema in the local PostgreSQL's {@code test} database for one test run, so runs never
 * see each other's rows. Created on first use, dropped and re-created by the next run.
 */
public final class PostgresTestDatabase {

    public static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/test";

    private static String prepared;

    private PostgresTestDatabase() {
    }

    /** Returns the JDBC URL of a freshly created schema with the given name. */
    public static synchronized String freshSchema(String schema) {
        if (!schema.matches("[a-z_]+")) {
            throw new IllegalArgumentException("schema name must be lower-case letters and '_'");
        }
        if (!schema.equals(prepared)) {
            try (var connection = DriverManager.getConnection(ADMIN_URL, "postgres", "");
                 var statement = connection.createStatement()) {
                statement.execute("drop schema if exists " + schema + " cascade");
                statement.execute("create schema " + schema);
            } catch (SQLException e) {
                throw new IllegalStateException("could not prepare schema " + schema + " in PostgreSQL", e);
            }
            prepared = schema;
        }
        return ADMIN_URL + "?currentSchema=" + schema;
    }
}
