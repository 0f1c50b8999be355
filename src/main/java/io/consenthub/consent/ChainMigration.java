package io.consenthub.consent;

import org.flywaydb.core.api.migration.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Flyway migration 20.1: turns the one global hash chain into one chain per contact. It first
 * verifies the global chain (gapless seq, links, hashes, the head) and refuses to touch one that
 * does not verify, because re-chaining would launder the tampering into valid chains. Then it walks
 * the contacts in id order, numbers each contact's events 1, 2, … in their old order, re-hashes them
 * linked to the contact's previous event, records each chain's head, and creates the sequence new
 * events take their {@code seq} from, after the highest one. Memory stays constant: a page of
 * contacts at a time. The first checkpoint the hub seals afterwards covers the migrated chains.
 *
 * <p>A Spring bean like {@link LedgerEvidenceMigration}, for the same reason: it uses the ledger's
 * own hashing, which is package-private here. It works on Flyway's connection only.
 */
@Component
public class ChainMigration extends LedgerRewrite {

    private static final Logger log = LoggerFactory.getLogger(ChainMigration.class);
    private static final int PAGE = 1_000;

    public ChainMigration() {
        super("20.1", "one hash chain per contact", "re-chain the consent ledger per contact");
    }

    @Override
    public void migrate(Context context) throws SQLException {
        Connection connection = context.getConnection();
        long last = verifyGlobalChain(connection);
        long events = 0;
        long contacts = 0;
        UUID after = null;
        while (true) {
            List<UUID> page = contactsAfter(connection, after);
            if (page.isEmpty()) {
                break;
            }
            events += rechain(connection, page);
            contacts += page.size();
            after = page.get(page.size() - 1);
        }
        try (var statement = connection.createStatement()) {
            // DDL takes no bind parameters; the value is the ledger's own highest seq, a number.
            statement.execute("create sequence consent_event_seq start with " + (last + 1));
        }
        log.info("Re-chained {} ledger events into {} per-contact chains; new events are numbered from seq {}", events, contacts,
                last + 1);
    }

    /** The last seq of a global chain that verifies; otherwise fails the migration naming the first problem. */
    private long verifyGlobalChain(Connection connection) throws SQLException {
        var problems = new Problems();
        long expected = 1;
        String previous = EventHash.GENESIS;
        while (true) {
            var page = new ArrayList<StoredEvent>(PAGE);
            try (var select = connection.prepareStatement("select " + LedgerStore.V15_EVENT_COLUMNS
                    + " from consent_event where seq >= ? order by seq limit " + PAGE)) {
                select.setLong(1, expected);
                try (var rs = select.executeQuery()) {
                    while (rs.next()) {
                        page.add(LedgerStore.v15EventRow(rs, 0));
                    }
                }
            }
            for (StoredEvent row : page) {
                if (row.event().seq() != expected) {
                    throw refused("expected seq " + expected + " but found " + row.event().seq() + " (rows were deleted)");
                }
                LedgerChecks.checkLink(row, previous, problems);
                if (!problems.none()) {
                    var first = problems.kept().get(0);
                    throw refused("seq " + row.event().seq() + ": " + first.kind() + ", " + first.detail());
                }
                previous = row.event().hash();
                expected++;
            }
            if (page.size() < PAGE) {
                break;
            }
        }
        checkHead(connection, expected - 1, previous);
        return expected - 1;
    }

    private static List<UUID> contactsAfter(Connection connection, UUID after) throws SQLException {
        var ids = new ArrayList<UUID>(PAGE);
        String sql = "select distinct contact_id from consent_event"
                + (after == null ? "" : " where contact_id > ?") + " order by contact_id limit " + PAGE;
        try (var select = connection.prepareStatement(sql)) {
            if (after != null) {
                select.setObject(1, after);
            }
            try (var rs = select.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return ids;
    }

    /** Numbers and re-hashes the events of these contacts and records their chain heads; returns how many events. */
    private static int rechain(Connection connection, List<UUID> contacts) throws SQLException {
        var rows = new ArrayList<StoredEvent>();
        try (var select = connection.prepareStatement("select " + LedgerStore.V15_EVENT_COLUMNS
                + " from consent_event where contact_id in (select cast(k.v as uuid) from unnest(cast(? as varchar array)) k(v))"
                + " order by contact_id, seq")) {
            select.setArray(1, connection.createArrayOf("varchar", contacts.stream().map(UUID::toString).toArray()));
            try (var rs = select.executeQuery()) {
                while (rs.next()) {
                    rows.add(LedgerStore.v15EventRow(rs, 0));
                }
            }
        }
        try (var update = connection.prepareStatement("update consent_event set contact_seq = ?, prev_hash = ?, hash = ? where seq = ?");
             var head = connection.prepareStatement("insert into ledger_chain (contact_id, last_contact_seq, last_hash) values (?, ?, ?)")) {
            UUID contact = null;
            long position = 0;
            String previous = EventHash.GENESIS;
            for (StoredEvent row : rows) {
                UUID id = row.event().contactId().value();
                if (!id.equals(contact)) {
                    if (contact != null) {
                        addHead(head, contact, position, previous);
                    }
                    contact = id;
                    position = 0;
                    previous = EventHash.GENESIS;
                }
                position++;
                StoredEvent chained = new StoredEvent(row.event().atContactSeq(position), row.ip(), row.userAgent(), row.note(),
                        row.originIp(), row.originUserAgent());
                String hash = chained.hash(previous);
                update.setLong(1, position);
                update.setString(2, previous);
                update.setString(3, hash);
                update.setLong(4, row.event().seq());
                update.addBatch();
                previous = hash;
            }
            if (contact != null) {
                addHead(head, contact, position, previous);
            }
            update.executeBatch();
            head.executeBatch();
        }
        return rows.size();
    }

    private static void addHead(java.sql.PreparedStatement head, UUID contact, long position, String hash) throws SQLException {
        head.setObject(1, contact);
        head.setLong(2, position);
        head.setString(3, hash);
        head.addBatch();
    }
}
