package io.consenthub.fields;

import io.consenthub.support.PostgresTestDatabase;
import io.consenthub.support.RequiresPostgres;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The backup is pg_dump of the hub's schema, restored with psql into a fresh schema; the key store is a schema of its own. */
@ExtendWith(RequiresPostgres.class)
class CryptoShreddingBackupOnPostgresTest extends CryptoShreddingBackupContract {

    private static final String HUB = "consent_hub_shred_hub";
    private static final String KEYS = "consent_hub_shred_keys";
    private static final String RESTORED = "consent_hub_shred_restored";

    @Override
    String[] hubStore() {
        return new String[] {PostgresTestDatabase.freshSchema(HUB), "postgres", ""};
    }

    @Override
    String[] keyStore() {
        return new String[] {PostgresTestDatabase.freshSchema(KEYS), "postgres", ""};
    }

    @Override
    Object backup(JdbcClient hubDatabase) throws Exception {
        Path file = Path.of("target", "shred-pg-" + ProcessHandle.current().pid() + ".sql").toAbsolutePath();
        run("pg_dump", "-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-n", PostgresTestDatabase.schema(HUB), "-f", file.toString());
        // the dump, restored under another schema name, is the backup's copy
        Files.writeString(file, Files.readString(file).replace(PostgresTestDatabase.schema(HUB), PostgresTestDatabase.schema(RESTORED)));
        return file;
    }

    @Override
    String[] restore(Object backup) throws Exception {
        String url = PostgresTestDatabase.freshSchema(RESTORED);
        try (var c = java.sql.DriverManager.getConnection(PostgresTestDatabase.ADMIN_URL, "postgres", "")) {
            c.createStatement().execute("drop schema " + PostgresTestDatabase.schema(RESTORED) + " cascade");
        }
        run("psql", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-f", backup.toString());
        return new String[] {url, "postgres", ""};
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
    }
}
