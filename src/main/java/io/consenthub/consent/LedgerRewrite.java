package io.consenthub.consent;

import io.consenthub.shared.BeanMigration;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * What the migrations that rewrite the ledger's hashes share: each first verifies the chain it finds
 * and refuses to touch one that does not verify, because re-chaining would launder tampering into a
 * valid chain; the refusal says how to recover.
 */
abstract class LedgerRewrite extends BeanMigration {

    private final String version;
    private final String rewrite;

    /** {@code rewrite} says what the migration would do, as in "refuses to {@code rewrite} because …". */
    LedgerRewrite(String version, String description, String rewrite) {
        super(version, description);
        this.version = version;
        this.rewrite = rewrite;
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
