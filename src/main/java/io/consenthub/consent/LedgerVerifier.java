package io.consenthub.consent;

import io.consenthub.contact.ContactId;
import io.consenthub.shared.NotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Verifies the ledger without holding it in memory: four cursors — events by contact and chain
 * position, projection rows, chain heads and sealed heads, all in contact id order — are merged one
 * contact at a time ({@link LedgerChecks}), while the sealed heads stream into the Merkle root that
 * the latest signed checkpoint must match. Memory is one contact's, whatever the ledger's size.
 * Also verifies given contacts alone (one contact answers in milliseconds) for the API and the
 * scheduled check. Must run inside the caller's snapshot transaction.
 */
@Component
class LedgerVerifier {

    private static final Logger log = LoggerFactory.getLogger(LedgerVerifier.class);
    private static final int FETCH = 1_000;
    static final long PROGRESS_EVERY = 100_000;

    private final DataSource dataSource;
    private final LedgerStore store;
    private final LedgerCheckpoints checkpoints;
    private final AtomicLong progress = new AtomicLong();

    LedgerVerifier(DataSource dataSource, LedgerStore store, LedgerCheckpoints checkpoints) {
        this.dataSource = dataSource;
        this.store = store;
        this.checkpoints = checkpoints;
    }

    /** Events checked so far by the full verification running now (or by the last one). */
    long progress() {
        return progress.get();
    }

    /** Every checkpoint, every chain, every head and projection row; progress is logged and kept in {@link #progress()}. */
    LedgerVerification all() {
        checkpoints.holdSealing();
        var problems = new Problems();
        Optional<LedgerCheckpoints.Signed> latest = checkpoints.verifyAfter(0, problems);
        var root = new MerkleRoot();
        long events = 0;
        long contacts = 0;
        progress.set(0);
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try (var eventRows = new Cursor<>(connection, LedgerStore.ALL_EVENTS_BY_CONTACT, LedgerStore::eventRow, "contact_id");
             var stateRows = new Cursor<>(connection, LedgerStore.ALL_STATE_BY_CONTACT, LedgerStore::stateRow, "contact_id");
             var chainRows = new Cursor<>(connection, LedgerStore.ALL_CHAINS_BY_CONTACT, LedgerStore::chainRow, "contact_id");
             var sealedRows = new Cursor<>(connection, LedgerStore.ALL_SEALED_BY_CONTACT, LedgerStore::sealedRow, "contact_id")) {
            while (true) {
                UUID contact = first(eventRows.key(), stateRows.key(), chainRows.key(), sealedRows.key());
                if (contact == null) {
                    break;
                }
                LedgerChecks.Sealed sealed = sealedRows.takeIf(contact);
                if (sealed != null) {
                    root.add(contact, sealed.contactSeq(), sealed.hash());
                }
                var check = new LedgerChecks(contact, sealed, problems);
                while (contact.equals(eventRows.key())) {
                    check.event(eventRows.take());
                    if (++events % PROGRESS_EVERY == 0) {
                        progress.set(events);
                        log.info("Ledger verification: {} events of {} contacts checked, {} problems so far", events, contacts,
                                problems.count());
                    }
                }
                var state = new ArrayList<LedgerStore.StateRow>();
                while (contact.equals(stateRows.key())) {
                    state.add(stateRows.take());
                }
                check.finish(chainRows.takeIf(contact), state);
                contacts++;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the ledger could not be read for verification", e);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
        progress.set(events);
        latest.ifPresent(signed -> compareRoot(signed, root, problems));
        return result(problems, events, contacts, latest);
    }

    /** One contact's chain, head, sealed head and projection; the checkpoint that sealed it must verify too. */
    LedgerVerification contact(ContactId contact) {
        var problems = new Problems();
        long events = contacts(List.of(contact.value()), problems);
        if (events == 0 && problems.none() && store.chainsOf(List.of(contact.value())).isEmpty()) {
            throw new NotFoundException("the ledger holds no events of contact " + contact);
        }
        return result(problems, events, 1, Optional.empty());
    }

    /** Checks these contacts in full; answers how many events that took. */
    long contacts(List<UUID> ids, Problems problems) {
        if (ids.isEmpty()) {
            return 0;
        }
        Map<UUID, LedgerStore.Chain> heads = store.chainsOf(ids);
        Map<UUID, LedgerChecks.Sealed> sealed = store.sealedOf(ids);
        Map<UUID, List<StoredEvent>> events = new java.util.HashMap<>();
        store.eventsOf(ids).forEach(row -> events.computeIfAbsent(row.event().contactId().value(), k -> new ArrayList<>()).add(row));
        Map<UUID, List<LedgerStore.StateRow>> state = new java.util.HashMap<>();
        store.stateOf(ids).forEach(row -> state.computeIfAbsent(row.contactId(), k -> new ArrayList<>()).add(row));
        var verifiedCheckpoints = new java.util.HashSet<Long>();
        long checked = 0;
        for (UUID id : ids) {
            LedgerChecks.Sealed seal = sealed.get(id);
            if (seal != null && verifiedCheckpoints.add(seal.checkpoint())) {
                checkpoints.read(seal.checkpoint(), checkpoints.jwsOf(seal.checkpoint()), problems);
            }
            var check = new LedgerChecks(id, seal, problems);
            events.getOrDefault(id, List.of()).forEach(check::event);
            check.finish(heads.get(id), state.getOrDefault(id, List.of()));
            checked += check.events();
        }
        return checked;
    }

    /** The sealed heads must hash to the root the newest checkpoint signed, or the heads (and chains) were rewritten. */
    static void compareRoot(LedgerCheckpoints.Signed signed, MerkleRoot root, Problems problems) {
        if (!signed.root().equals(root.root()) || signed.chains() != root.leaves()) {
            problems.add("checkpoint-mismatch", "the sealed chain heads (" + root.leaves() + " chains) do not hash to the root checkpoint "
                    + signed.id() + " signed (" + signed.chains() + " chains): the ledger and its sealed heads were rewritten");
        }
    }

    static LedgerVerification result(Problems problems, long events, long contacts, Optional<LedgerCheckpoints.Signed> latest) {
        return new LedgerVerification(problems.none(), events, contacts, latest.map(LedgerCheckpoints.Signed::id).orElse(null),
                latest.map(LedgerCheckpoints.Signed::root).orElse(null), problems.count(), problems.kept());
    }

    private static UUID first(UUID... keys) {
        UUID first = null;
        for (UUID key : keys) {
            if (key != null && (first == null || LedgerStore.inDatabaseOrder(key, first) < 0)) {
                first = key;
            }
        }
        return first;
    }

    /** One forward-only query whose rows are taken while their contact is the one being checked. */
    private static final class Cursor<T> implements AutoCloseable {

        private final PreparedStatement statement;
        private final ResultSet rows;
        private final RowMapper<T> mapper;
        private final String keyColumn;
        private T current;
        private UUID key;

        Cursor(Connection connection, String sql, RowMapper<T> mapper, String keyColumn) throws SQLException {
            this.statement = connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
            this.statement.setFetchSize(FETCH);
            this.rows = statement.executeQuery();
            this.mapper = mapper;
            this.keyColumn = keyColumn;
            advance();
        }

        UUID key() {
            return key;
        }

        T take() throws SQLException {
            T taken = current;
            advance();
            return taken;
        }

        T takeIf(UUID contact) throws SQLException {
            return contact.equals(key) ? take() : null;
        }

        private void advance() throws SQLException {
            if (rows.next()) {
                current = mapper.mapRow(rows, 0);
                key = rows.getObject(keyColumn, UUID.class);
            } else {
                current = null;
                key = null;
            }
        }

        @Override
        public void close() throws SQLException {
            try {
                rows.close();
            } finally {
                statement.close();
            }
        }
    }
}
