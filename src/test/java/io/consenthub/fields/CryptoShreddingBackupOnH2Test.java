package io.consenthub.fields;

import org.springframework.jdbc.core.simple.JdbcClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/** The backup is H2's own: SCRIPT TO a file, RUNSCRIPT FROM it into a fresh database. */
class CryptoShreddingBackupOnH2Test extends CryptoShreddingBackupContract {

    private static final String MODE = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
    private final String run = UUID.randomUUID().toString();

    @Override
    String[] hubStore() {
        return new String[] {"jdbc:h2:mem:shred-hub-" + run + MODE, "sa", ""};
    }

    @Override
    String[] keyStore() {
        return new String[] {"jdbc:h2:mem:shred-keys-" + run + MODE, "sa", ""};
    }

    @Override
    Object backup(JdbcClient hubDatabase) throws Exception {
        Path file = Path.of("target", "shred-" + run, "backup.sql").toAbsolutePath();
        Files.createDirectories(file.getParent());
        hubDatabase.sql("script to '" + file + "'").query(rs -> { });
        return file;
    }

    @Override
    String[] restore(Object backup) throws Exception {
        String url = "jdbc:h2:mem:shred-restored-" + run + MODE;
        try (var c = java.sql.DriverManager.getConnection(url, "sa", "")) {
            c.createStatement().execute("runscript from '" + backup + "'");
        }
        return new String[] {url, "sa", ""};
    }
}
