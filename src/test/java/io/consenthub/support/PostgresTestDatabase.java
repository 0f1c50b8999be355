package io.consenthub.support;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;

/**
 * Fresh schemas in the local PostgreSQL's {@code test} database, one per test class and JVM, so
 * test runs never see each other's rows, even when two runs share the server. A schema is named
 * {@code <name>_p<pid>}; schemas left by runs whose process has ended are dropped on first use.
 */
public final class PostgresTestDatabase {

    public static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final long PID = ProcessHandle.current().pid();
    private static final Set<String> prepared = new HashSet<>();
    private static boolean swept;

    private PostgresTestDatabase() {
    }

    /** The schema name this JVM uses for {@code name}. */
    public static String schema(String name) {
        if (!name.matches("[a-z_]+")) {
            throw new IllegalArgumentException("schema name must be lower-case letters and '_'");
        }
        return name + "_p" + PID;
    }

    /** Points a hub test's store at the fresh schema for {@code name} (created on first use). */
    public static void register(org.springframework.test.context.DynamicPropertyRegistry registry, String name) {
        registry.add("spring.datasource.url", () -> freshSchema(name));
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "");
        registry.add("spring.flyway.default-schema", () -> schema(name));
        // Spring keeps every test context alive for reuse; with a dozen PostgreSQL-backed hubs in one JVM,
        // Hikari's default of ten connections each would exhaust the server's max_connections (100).
        registry.add("spring.datasource.hikari.maximum-pool-size", () -> "4");
        registry.add("spring.datasource.hikari.minimum-idle", () -> "1");
    }

    /**
     * Drops and re-creates the schema for {@code name} on every call (a test that migrates a
     * database of its own wants it empty each time) and returns a data source using it.
     */
    public static javax.sql.DataSource emptySchema(String name) {
        freshSchema(name);
        String schema = schema(name);
        try (var connection = DriverManager.getConnection(ADMIN_URL, "postgres", "");
             var statement = connection.createStatement()) {
            statement.execute("drop schema if exists " + schema + " cascade");
            statement.execute("create schema " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("could not empty schema " + schema + " in PostgreSQL", e);
        }
        var pg = new org.postgresql.ds.PGSimpleDataSource();
        pg.setURL(ADMIN_URL + "?currentSchema=" + schema);
        pg.setUser("postgres");
        return pg;
    }

    /** Creates (once per JVM) the schema for {@code name} and returns a JDBC URL using it. */
    public static synchronized String freshSchema(String name) {
        String schema = schema(name);
        if (prepared.add(schema)) {
            try (var connection = DriverManager.getConnection(ADMIN_URL, "postgres", "");
                 var statement = connection.createStatement()) {
                if (!swept) {
                    var stale = new ArrayList<String>();
                    try (var rs = statement.executeQuery("select nspname from pg_namespace where nspname ~ '^consent_hub_[a-z_]+_p[0-9]+$'")) {
                        while (rs.next()) {
                            String existing = rs.getString(1);
                            long pid = Long.parseLong(existing.substring(existing.lastIndexOf("_p") + 2));
                            if (pid != PID && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true)) {
                                stale.add(existing);
                            }
                        }
                    }
                    for (String old : stale) {
                        statement.execute("drop schema if exists " + old + " cascade");
                    }
                    swept = true;
                }
                statement.execute("drop schema if exists " + schema + " cascade");
                statement.execute("create schema " + schema);
            } catch (SQLException e) {
                throw new IllegalStateException("could not prepare schema " + schema + " in PostgreSQL", e);
            }
        }
        return ADMIN_URL + "?currentSchema=" + schema + "&reWriteBatchedInserts=true";
    }
}
