package io.consenthub.consent;

import io.consenthub.contact.ContactId;
import io.consenthub.shared.SqlArrays;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import javax.sql.DataSource;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * SQL of the ledger and its projection. Every statement binds its parameters. Events are written
 * and read in their stored form ({@link StoredEvent}): IP, user agent and note as ciphertext.
 */
@Repository
class LedgerStore {

    /** The columns of a ledger row as migration 12.1 found them (before origins, V15). */
    static final String V12_EVENT_COLUMNS = """
            seq, event_id, contact_id, event_type, subject, new_value, previous_value, actor_kind, actor_id, channel,
            occurred_at, ip, user_agent, proof_id, note, prev_hash, hash""";
    /** The columns of a ledger row as migration 20.1 found them (before per-contact chains). */
    static final String V15_EVENT_COLUMNS = V12_EVENT_COLUMNS
            + ", origin_channel, origin_actor_id, origin_proof_id, origin_ip, origin_user_agent";
    static final String EVENT_COLUMNS = V15_EVENT_COLUMNS + ", contact_seq";

    /** The head of one contact's chain: its last position and that event's hash (0 and genesis for a new chain). */
    record Chain(long lastContactSeq, String lastHash) {
    }

    private final JdbcClient jdbc;
    private final JdbcTemplate streaming;
    private final JdbcTemplate batch;
    private volatile Boolean postgres;

    LedgerStore(JdbcClient jdbc, DataSource dataSource) {
        this.jdbc = jdbc;
        this.streaming = new JdbcTemplate(dataSource);
        this.streaming.setFetchSize(1000);
        this.batch = new JdbcTemplate(dataSource);
    }

    /**
     * Takes the row locks of these contacts' chain heads, in contact id order (so two batches that
     * share contacts cannot deadlock each other), creating the heads of new chains. Only appends of
     * the same contact wait for each other. The answer has an entry for every contact.
     */
    Map<ContactId, Chain> lockChains(Collection<ContactId> contacts) {
        List<ContactId> sorted = contacts.stream().distinct().sorted(LedgerStore::inDatabaseOrder).toList();
        var chains = new HashMap<ContactId, Chain>();
        lockExisting(sorted, chains);
        if (chains.size() < sorted.size()) {
            List<ContactId> missing = sorted.stream().filter(c -> !chains.containsKey(c)).toList();
            for (List<ContactId> part : SqlArrays.parts(missing)) {
                jdbc.sql("insert into ledger_chain (contact_id, last_contact_seq, last_hash) select cast(k.v as uuid), 0, ? from "
                                + SqlArrays.KEYS + " on conflict do nothing")
                        .params(EventHash.GENESIS, ids(part)).update();
            }
            lockExisting(missing, chains);
        }
        return chains;
    }

    /**
     * The common case in one round trip: locks one contact's chain head and takes the next event
     * number with it; empty when the contact has no chain yet ({@link #lockChains} creates it).
     */
    Optional<Map.Entry<Chain, Long>> lockChainAndNumber(ContactId contact) {
        return jdbc.sql("select last_contact_seq, last_hash, nextval('consent_event_seq') from ledger_chain where contact_id = ? for update")
                .param(contact.value())
                .query((rs, n) -> Map.entry(new Chain(rs.getLong(1), rs.getString(2)), rs.getLong(3)))
                .optional();
    }

    private void lockExisting(List<ContactId> sorted, Map<ContactId, Chain> into) {
        if (sorted.size() == 1) {
            jdbc.sql("select contact_id, last_contact_seq, last_hash from ledger_chain where contact_id = ? for update")
                    .param(sorted.get(0).value()).query(rs -> {
                        into.put(new ContactId(rs.getObject(1, UUID.class)), new Chain(rs.getLong(2), rs.getString(3)));
                    });
            return;
        }
        for (List<ContactId> part : SqlArrays.parts(sorted)) {
            jdbc.sql("select contact_id, last_contact_seq, last_hash from ledger_chain where contact_id in (select cast(k.v as uuid) from "
                            + SqlArrays.KEYS + ") order by contact_id for update")
                    .param(ids(part)).query(rs -> {
                        into.put(new ContactId(rs.getObject(1, UUID.class)), new Chain(rs.getLong(2), rs.getString(3)));
                    });
        }
    }

    /**
     * Holds the contact's chain head against appends until the caller's transaction ends: a shared
     * lock on PostgreSQL (fences of one contact do not wait for each other, an append's
     * {@code FOR UPDATE} waits for all of them), an exclusive one on H2, which has no shared row lock.
     * A contact without a chain gets an empty one first, so a revocation that would create it waits too.
     * False when the hub holds no such contact.
     */
    boolean fence(ContactId contact) {
        jdbc.sql("insert into ledger_chain (contact_id, last_contact_seq, last_hash) select id, 0, ? from contact where id = ?"
                        + " on conflict do nothing")
                .params(EventHash.GENESIS, contact.value()).update();
        return !jdbc.sql("select contact_id from ledger_chain where contact_id = ? " + (postgres() ? "for share" : "for update"))
                .param(contact.value()).query((rs, n) -> rs.getObject(1)).list().isEmpty();
    }

    /** The database's order of uuids (their 16 bytes, unsigned), which {@link UUID#compareTo} is not. */
    static int inDatabaseOrder(ContactId a, ContactId b) {
        return inDatabaseOrder(a.value(), b.value());
    }

    static int inDatabaseOrder(UUID a, UUID b) {
        int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    }

    private static String[] ids(List<ContactId> contacts) {
        return contacts.stream().map(c -> c.value().toString()).toArray(String[]::new);
    }

    /** {@code count} new, unique event numbers from the sequence (increasing, not gapless). */
    long[] nextSeqs(int count) {
        List<Long> seqs = count == 1
                ? jdbc.sql("select nextval('consent_event_seq')").query(Long.class).list()
                : jdbc.sql("select nextval('consent_event_seq') from unnest(cast(? as int array))")
                        .param(new Integer[count]).query(Long.class).list();
        return seqs.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    private static final String INSERT_EVENT = "insert into consent_event (" + EVENT_COLUMNS
            + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /**
     * Writes appended events (in order, each following its chain's head), moves the heads (locked by
     * the caller) and the projection to them, with batched statements (a batch, or H2; PostgreSQL
     * writes a single event with {@link #writeOne}).
     */
    void write(List<StoredEvent> events, Map<ContactId, Chain> heads, List<ConsentEvent> stateChanges) {
        insertAll(events, heads);
        projectAll(stateChanges);
    }

    /** What {@link #writeOne} did: whether it wrote, and the number it drew for a later event (0 when none was asked for). */
    record Written(boolean written, long spare) {
    }

    /**
     * PostgreSQL only: one event in one statement — the event, its chain head and its projection row
     * as data-modifying CTEs — because under many writers an append's round trips are what bound it.
     * Everything is written only where the chain's head row still is {@code expected}; otherwise
     * nothing is (the answer says so). The caller either holds the head's row lock (then it is
     * {@code expected}) or guessed it, and the head's row lock taken by the update makes the check
     * and the write one step. With {@code drawSpare} the statement also draws the next event number
     * from the sequence, for a later append.
     */
    Written writeOne(StoredEvent stored, Chain expected, boolean project, boolean drawSpare) {
        ConsentEvent e = stored.event();
        var params = new ArrayList<Object>(List.of(e.contactSeq(), e.hash(), e.contactId().value(),
                expected.lastContactSeq(), expected.lastHash()));
        String projection = "";
        if (project) {
            projection = """
                    , projected as (update consent_state set state_value = ?, updated_at = ?, event_seq = ?
                                    where contact_id = ? and subject = ? and exists (select 1 from moved) returning 1)
                    , created as (insert into consent_state (contact_id, subject, state_value, updated_at, event_seq)
                                  select ?, ?, ?, ?, ? where exists (select 1 from moved) and not exists (select 1 from projected))""";
            params.addAll(List.of(e.value(), utc(e.evidence().occurredAt()), e.seq(), e.contactId().value(), e.subject()));
            params.addAll(List.of(e.contactId().value(), e.subject(), e.value(), utc(e.evidence().occurredAt()), e.seq()));
        }
        params.addAll(java.util.Arrays.asList(insertParams(stored)));
        params.add(drawSpare);
        List<Long> inserted = jdbc.sql("with moved as (update ledger_chain set last_contact_seq = ?, last_hash = ?"
                        + " where contact_id = ? and last_contact_seq = ? and last_hash = ? returning 1)" + projection
                        + " " + INSERT_EVENT_IF_MOVED)
                .params(params).query((rs, n) -> rs.getLong(1)).list();
        return new Written(!inserted.isEmpty(), inserted.isEmpty() ? 0 : inserted.get(0));
    }

    private static final String INSERT_EVENT_IF_MOVED = "insert into consent_event (" + EVENT_COLUMNS
            + ") select ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? from moved"
            + " returning case when ? then nextval('consent_event_seq') else 0 end";

    /** Whether single events are written by {@link #writeOne} (PostgreSQL; H2 has no data-modifying CTEs). */
    boolean writesOneStatement() {
        return postgres();
    }

    private boolean postgres() {
        if (postgres == null) {
            postgres = batch.execute((ConnectionCallback<Boolean>) c -> "PostgreSQL".equals(c.getMetaData().getDatabaseProductName()));
        }
        return postgres;
    }

    private static Object[] insertParams(StoredEvent stored) {
        ConsentEvent e = stored.event();
        Evidence ev = e.evidence();
        Evidence.Origin origin = ev.origin();
        return new Object[] {e.seq(), e.eventId(), e.contactId().value(), e.type().name(), e.subject(), e.value(),
                e.previousValue(), ev.actorKind().name(), ev.actorId(), ev.channel(), utc(ev.occurredAt()),
                stored.ip(), stored.userAgent(), ev.proofId(), stored.note(), e.prevHash(), e.hash(),
                origin == null ? null : origin.channel(), origin == null ? null : origin.actorId(),
                origin == null ? null : origin.proofId(), stored.originIp(), stored.originUserAgent(), e.contactSeq()};
    }

    /** Inserts events that follow their chains' heads in order, then moves those heads (locked by the caller). */
    private void insertAll(List<StoredEvent> events, Map<ContactId, Chain> heads) {
        batch.batchUpdate(INSERT_EVENT, events.stream().map(LedgerStore::insertParams).toList());
        List<Object[]> moved = heads.entrySet().stream()
                .map(h -> new Object[] {h.getValue().lastContactSeq(), h.getValue().lastHash(), h.getKey().value()}).toList();
        if (moved.size() == 1) {
            jdbc.sql("update ledger_chain set last_contact_seq = ?, last_hash = ? where contact_id = ?").params(moved.get(0)).update();
        } else {
            batch.batchUpdate("update ledger_chain set last_contact_seq = ?, last_hash = ? where contact_id = ?", moved);
        }
    }

    /**
     * Moves the projection to these events: for each contact and subject the last of them wins.
     * Updates the rows that exist, then inserts the rest, each with one batched statement.
     */
    private void projectAll(List<ConsentEvent> events) {
        var latest = new LinkedHashMap<String, ConsentEvent>();
        events.forEach(e -> latest.put(e.contactId().value() + "/" + e.subject(), e));
        if (latest.isEmpty()) {
            return;
        }
        List<ConsentEvent> projected = List.copyOf(latest.values());
        int[] updated = batch.batchUpdate("update consent_state set state_value = ?, updated_at = ?, event_seq = ? where contact_id = ? and subject = ?",
                projected.stream().map(e -> new Object[] {e.value(), utc(e.evidence().occurredAt()), e.seq(),
                        e.contactId().value(), e.subject()}).toList());
        var missing = new ArrayList<Object[]>();
        for (int i = 0; i < projected.size(); i++) {
            if (updated[i] == 0) {
                ConsentEvent e = projected.get(i);
                missing.add(new Object[] {e.contactId().value(), e.subject(), e.value(), utc(e.evidence().occurredAt()), e.seq()});
            }
        }
        if (!missing.isEmpty()) {
            batch.batchUpdate("insert into consent_state (contact_id, subject, state_value, updated_at, event_seq) values (?, ?, ?, ?, ?)",
                    missing);
        }
    }

    boolean anyHasState(Collection<ContactId> contacts) {
        for (List<String> part : SqlArrays.parts(contacts.stream().map(id -> id.value().toString()).toList())) {
            boolean found = !jdbc.sql("select 1 from " + SqlArrays.KEYS
                            + " where exists (select 1 from consent_state s where s.contact_id = cast(k.v as uuid)) limit 1")
                    .param(part.toArray(String[]::new))
                    .query(Integer.class).list().isEmpty();
            if (found) {
                return true;
            }
        }
        return false;
    }

    List<StoredEvent> history(ContactId contact) {
        return jdbc.sql("select " + EVENT_COLUMNS + " from consent_event where contact_id = ? order by contact_seq")
                .param(contact.value())
                .query(LedgerStore::eventRow)
                .list();
    }

    Map<String, String> state(ContactId contact) {
        return jdbc.sql("select subject, state_value from consent_state where contact_id = ?")
                .param(contact.value())
                .query((rs, n) -> Map.entry(rs.getString(1), rs.getString(2)))
                .list().stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** One round trip: the contact's consent state, or empty when the contact does not exist (or was removed). */
    Optional<Map<String, String>> stateOfExisting(ContactId contact) {
        var state = new HashMap<String, String>();
        var found = new boolean[1];
        jdbc.sql("select s.subject, s.state_value from contact c left join consent_state s on s.contact_id = c.id"
                        + " where c.id = ? and c.removed_at is null")
                .param(contact.value())
                .query(rs -> {
                    found[0] = true;
                    if (rs.getString(1) != null) {
                        state.put(rs.getString(1), rs.getString(2));
                    }
                });
        return found[0] ? Optional.of(state) : Optional.empty();
    }

    Optional<Long> currentEventSeq(ContactId contact, String subject) {
        return jdbc.sql("select event_seq from consent_state where contact_id = ? and subject = ?")
                .params(contact.value(), subject).query(Long.class).optional();
    }

    Instant lastEventAt(ContactId contact, EventType type) {
        return jdbc.sql("select occurred_at from consent_event where contact_id = ? and event_type = ? order by contact_seq desc limit 1")
                .params(contact.value(), type.name())
                .query((rs, n) -> rs.getObject(1, OffsetDateTime.class).toInstant())
                .optional()
                .orElse(null);
    }

    /** The value a subject had before the latest event that set it to {@code value}. */
    String previousValueBeforeLatest(ContactId contact, String subject, String value) {
        return jdbc.sql("""
                select previous_value from consent_event
                where contact_id = ? and subject = ? and new_value = ? and event_type = ?
                order by contact_seq desc""")
                .params(contact.value(), subject, value, EventType.OPT_IN_STATUS_CHANGED.name())
                .query((rs, n) -> rs.getString(1))
                .list().stream().findFirst().orElse(null);
    }

    record StateRow(UUID contactId, String subject, String value) {
    }

    static final String ALL_EVENTS_BY_CONTACT = "select " + EVENT_COLUMNS + " from consent_event order by contact_id, contact_seq";
    static final String ALL_STATE_BY_CONTACT = "select contact_id, subject, state_value from consent_state order by contact_id, subject";
    static final String ALL_CHAINS_BY_CONTACT = "select contact_id, last_contact_seq, last_hash from ledger_chain order by contact_id";
    static final String ALL_SEALED_BY_CONTACT =
            "select contact_id, contact_seq, hash, checkpoint_id from ledger_sealed_head order by contact_id";

    static StateRow stateRow(ResultSet rs, int n) throws SQLException {
        return new StateRow(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3));
    }

    static Chain chainRow(ResultSet rs, int n) throws SQLException {
        return new Chain(rs.getLong(2), rs.getString(3));
    }

    static LedgerChecks.Sealed sealedRow(ResultSet rs, int n) throws SQLException {
        return new LedgerChecks.Sealed(rs.getLong(2), rs.getString(3), rs.getLong(4));
    }

    /** The next contacts with a chain or projection rows after {@code cursor} (from the start when null), in id order. */
    List<UUID> contactsAfter(UUID cursor, int limit) {
        String ids = "select contact_id from ledger_chain union select contact_id from consent_state";
        return cursor == null
                ? jdbc.sql("select contact_id from (" + ids + ") u order by contact_id limit ?").param(limit).query(UUID.class).list()
                : jdbc.sql("select contact_id from (" + ids + ") u where contact_id > ? order by contact_id limit ?")
                        .params(cursor, limit).query(UUID.class).list();
    }

    /** The contacts whose sealed head checkpoints after {@code checkpoint} moved, in id order, after {@code cursor}. */
    List<UUID> sealedAfter(long checkpoint, UUID cursor, int limit) {
        return jdbc.sql("select contact_id from ledger_sealed_head where checkpoint_id > ? and contact_id > ? order by contact_id limit ?")
                .params(checkpoint, cursor == null ? new UUID(0, 0) : cursor, limit).query(UUID.class).list();
    }

    /** Every event of these contacts, by contact and in chain order. */
    List<StoredEvent> eventsOf(List<UUID> contacts) {
        return jdbc.sql("select " + EVENT_COLUMNS + " from consent_event where contact_id in (" + placeholders(contacts.size())
                        + ") order by contact_id, contact_seq").params(List.copyOf(contacts)).query(LedgerStore::eventRow).list();
    }

    /** The projection rows of these contacts. */
    List<StateRow> stateOf(List<UUID> contacts) {
        return jdbc.sql("select contact_id, subject, state_value from consent_state where contact_id in ("
                        + placeholders(contacts.size()) + ")").params(List.copyOf(contacts)).query(LedgerStore::stateRow).list();
    }

    /** The chain heads of these contacts. */
    Map<UUID, Chain> chainsOf(List<UUID> contacts) {
        var heads = new HashMap<UUID, Chain>();
        jdbc.sql("select contact_id, last_contact_seq, last_hash from ledger_chain where contact_id in (" + placeholders(contacts.size())
                + ")").params(List.copyOf(contacts)).query(rs -> {
                    heads.put(rs.getObject(1, UUID.class), chainRow(rs, 0));
                });
        return heads;
    }

    /** The sealed heads of these contacts. */
    Map<UUID, LedgerChecks.Sealed> sealedOf(List<UUID> contacts) {
        var heads = new HashMap<UUID, LedgerChecks.Sealed>();
        jdbc.sql("select contact_id, contact_seq, hash, checkpoint_id from ledger_sealed_head where contact_id in ("
                + placeholders(contacts.size()) + ")").params(List.copyOf(contacts)).query(rs -> {
                    heads.put(rs.getObject(1, UUID.class), sealedRow(rs, 0));
                });
        return heads;
    }

    /** Streams the sealed heads in contact id order into {@code root}: the leaves of the latest checkpoint. */
    void sealedHeads(MerkleRoot root) {
        streaming.query(ALL_SEALED_BY_CONTACT, (RowCallbackHandler) rs -> root.add(rs.getObject(1, UUID.class), rs.getLong(2),
                rs.getString(3)));
    }

    private static String placeholders(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    static StoredEvent eventRow(ResultSet rs, int n) throws SQLException {
        StoredEvent row = v15EventRow(rs, n);
        return new StoredEvent(row.event().atContactSeq(rs.getLong("contact_seq")), row.ip(), row.userAgent(), row.note(),
                row.originIp(), row.originUserAgent());
    }

    /** A row read with {@link #V15_EVENT_COLUMNS}, as migration 20.1 reads it. */
    static StoredEvent v15EventRow(ResultSet rs, int n) throws SQLException {
        String originChannel = rs.getString("origin_channel");
        Evidence.Origin origin = originChannel == null ? null
                : new Evidence.Origin(originChannel, rs.getString("origin_actor_id"), rs.getString("origin_proof_id"), null, null);
        StoredEvent row = v12EventRow(rs, n, origin);
        return new StoredEvent(row.event(), row.ip(), row.userAgent(), row.note(), rs.getString("origin_ip"),
                rs.getString("origin_user_agent"));
    }

    /** A row read with {@link #V12_EVENT_COLUMNS}, as migration 12.1 reads it. */
    static StoredEvent v12EventRow(ResultSet rs, int n) throws SQLException {
        return v12EventRow(rs, n, null);
    }

    private static StoredEvent v12EventRow(ResultSet rs, int n, Evidence.Origin origin) throws SQLException {
        var evidence = new Evidence(ActorKind.valueOf(rs.getString("actor_kind")), rs.getString("actor_id"),
                rs.getString("channel"), rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
                null, null, rs.getString("proof_id"), null, origin);
        var event = new ConsentEvent(rs.getLong("seq"), rs.getObject("event_id", UUID.class),
                new ContactId(rs.getObject("contact_id", UUID.class)), EventType.valueOf(rs.getString("event_type")),
                rs.getString("subject"), rs.getString("new_value"), rs.getString("previous_value"), evidence,
                rs.getString("prev_hash"), rs.getString("hash"));
        return new StoredEvent(event, rs.getString("ip"), rs.getString("user_agent"), rs.getString("note"));
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
