package io.consenthub.consent;

import com.google.crypto.tink.Aead;
import io.consenthub.contact.ContactId;
import io.consenthub.crypto.ContactCipher;
import io.consenthub.crypto.KeyEncryptionKey;
import io.consenthub.shared.SqlArrays;
import org.flywaydb.core.api.migration.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Flyway migration 12.1: encrypts the evidence (IP, user agent, note) that earlier versions kept
 * in plaintext under each contact's new key, then re-chains the ledger over the ciphertext. It
 * first verifies the plaintext chain and refuses to touch one that does not verify, because
 * re-chaining would otherwise launder the tampering into a valid chain. The head hash therefore
 * changes once, here.
 *
 * <p>A Spring bean rather than a class in {@code db.migration}: it needs the KEK, which Flyway's
 * class-path scan could not give it. Spring Boot hands every {@link JavaMigration} bean to Flyway.
 * It works on the migration's own connection (in Flyway's transaction), not on the app's beans.
 */
@Component
public class LedgerEvidenceMigration extends io.consenthub.shared.BeanMigration {

    private static final Logger log = LoggerFactory.getLogger(LedgerEvidenceMigration.class);
    private static final int PAGE = 1_000;

    private final KeyEncryptionKey kek;

    public LedgerEvidenceMigration(KeyEncryptionKey kek) {
        super("12.1", "encrypt ledger evidence and re-chain");
        this.kek = kek;
    }


    @Override
    public void migrate(Context context) throws SQLException {
        Connection connection = context.getConnection();
        String oldHead = verifyPlaintextChain(connection);
        var keys = new HashMap<ContactId, Aead>();
        String previous = EventHash.GENESIS;
        long after = 0;
        long count = 0;
        while (true) {
            List<StoredEvent> page = page(connection, after);
            if (page.isEmpty()) {
                break;
            }
            createKeys(connection, page, keys);
            try (var update = connection.prepareStatement(
                    "update consent_event set ip = ?, user_agent = ?, note = ?, prev_hash = ?, hash = ? where seq = ?")) {
                for (StoredEvent row : page) {
                    ConsentEvent e = row.event();
                    Aead key = keys.get(e.contactId());
                    String ip = seal(key, e, StoredEvent.IP, row.ip());
                    String userAgent = seal(key, e, StoredEvent.USER_AGENT, row.userAgent());
                    String note = seal(key, e, StoredEvent.NOTE, row.note());
                    String hash = EventHash.of(e, ip, userAgent, note, previous);
                    update.setString(1, ip);
                    update.setString(2, userAgent);
                    update.setString(3, note);
                    update.setString(4, previous);
                    update.setString(5, hash);
                    update.setLong(6, e.seq());
                    update.addBatch();
                    previous = hash;
                }
                update.executeBatch();
            }
            after = page.get(page.size() - 1).event().seq();
            count += page.size();
        }
        try (var head = connection.prepareStatement("update ledger_head set last_hash = ? where id = 1")) {
            head.setString(1, previous);
            head.executeUpdate();
        }
        log.info("Encrypted the evidence of {} ledger events under per-contact keys and re-chained the ledger: head hash {} is now {}",
                count, oldHead, previous);
    }

    /** The head hash of a chain that verifies; otherwise fails the migration naming the first problem. */
    private String verifyPlaintextChain(Connection connection) throws SQLException {
        String previous = EventHash.GENESIS;
        long expected = 1;
        long after = 0;
        while (true) {
            List<StoredEvent> page = page(connection, after);
            if (page.isEmpty()) {
                break;
            }
            for (StoredEvent row : page) {
                ConsentEvent e = row.event();
                String problem = null;
                if (e.seq() != expected) {
                    problem = "expected seq " + expected + " but found " + e.seq() + " (rows were deleted)";
                } else if (!e.prevHash().equals(previous)) {
                    problem = "its prev_hash does not match the row before it (a row was inserted, deleted or re-ordered)";
                } else if (!row.hash(e.prevHash()).equals(e.hash())) {
                    problem = "its contents do not match its hash (it was changed after it was written)";
                }
                if (problem != null) {
                    throw refused("seq " + e.seq() + ": " + problem);
                }
                previous = e.hash();
                expected++;
            }
            after = page.get(page.size() - 1).event().seq();
        }
        try (var head = connection.prepareStatement("select last_seq, last_hash from ledger_head where id = 1");
             var rs = head.executeQuery()) {
            if (!rs.next() || rs.getLong(1) != expected - 1 || !previous.equals(rs.getString(2))) {
                throw refused("the ledger head does not point at the chain's last event (rows at the end were deleted or the head was altered)");
            }
        }
        return previous;
    }

    private static IllegalStateException refused(String problem) {
        return new IllegalStateException("Migration 12.1 refuses to encrypt and re-chain the consent ledger because it does not verify: "
                + problem + ". Re-chaining would make the tampering undetectable. Restore the ledger from a backup that verifies"
                + " (GET /api/ledger/verify on the previous version names every problem), then start this version again.");
    }

    private static List<StoredEvent> page(Connection connection, long afterSeq) throws SQLException {
        var rows = new ArrayList<StoredEvent>(PAGE);
        try (var select = connection.prepareStatement("select " + LedgerStore.V12_EVENT_COLUMNS
                + " from consent_event where seq > ? order by seq limit " + PAGE)) {
            select.setLong(1, afterSeq);
            try (var rs = select.executeQuery()) {
                while (rs.next()) {
                    rows.add(LedgerStore.v12EventRow(rs, 0));
                }
            }
        }
        return rows;
    }

    private void createKeys(Connection connection, List<StoredEvent> page, Map<ContactId, Aead> keys) throws SQLException {
        Set<ContactId> missing = new LinkedHashSet<>();
        for (StoredEvent row : page) {
            if (!keys.containsKey(row.event().contactId())) {
                missing.add(row.event().contactId());
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        try (var insert = connection.prepareStatement(
                "insert into contact_key (contact_id, wrapped_key, created_at) values (?, ?, cast(? as timestamp with time zone))")) {
            String now = SqlArrays.timestamp(Instant.now());
            for (ContactId contact : missing) {
                String wrapped = kek.newWrappedKey(contact);
                keys.put(contact, kek.open(contact, wrapped));
                insert.setObject(1, contact.value());
                insert.setString(2, wrapped);
                insert.setString(3, now);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static String seal(Aead key, ConsentEvent event, String column, String plaintext) {
        return plaintext == null ? null : ContactCipher.seal(key, event.contactId(), StoredEvent.context(event, column), plaintext);
    }
}
