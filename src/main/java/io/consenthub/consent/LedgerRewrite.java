package io.consenthub.consent;

import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.JavaMigration;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * What the Java migrations that rewrite the ledger's hashes share: each first verifies the chain it
 * finds and refuses to touch one that does not verify, because re-chaining would launder tampering
 * into a valid chain; the refusal says how to recover. Each runs once, in Flyway's transaction, on
 * Flyway's connection.
 */
abstract class LedgerRewrite implements JavaMigration {

    private final String version;
    private final String description;
    private final String rewrite;

    /** {@code rewrite} says what the migration would do, as in "refuses to {@code rewrite} because …". */
    LedgerRewrite(String version, String description, String rewrite) {
        this.version = version;
        this.description = description;
        this.rewrite = rewrite;
    }

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion(version);
    }

    @Override
    public String getDescription() {
        return description;
    }

    @Override
    public Integer getChecksum() {
        return null;
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    IllegalStateException refused(String problem) {
        return new IllegalStateException("Migration " + version + " refuses to " + rewrite + " because it does not verify: "
                + problem + ". Re-chaining would make the tampering undetectable. Restore the ledger from a backup that verifies"
                + " (GET /api/ledger/verify on the previous version names every problem), then start this version again.");
    }

    /** Fails unless the single ledger head of the old schema points at the chain's last event. */
    void checkHead(Connection connection, long lastSeq, String lastHash) throws SQLException {
        try (var head = connection.prepareStatement("select last_seq, last_hash from ledger_head where id = 1");
             var rs = head.executeQuery()) {
            if (!rs.next() || rs.getLong(1) != lastSeq || !lastHash.equals(rs.getString(2))) {
                throw refused("the ledger head does not point at the chain's last event (rows at the end were deleted or the head was altered)");
            }
        }
    }
}
