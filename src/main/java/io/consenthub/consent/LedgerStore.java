package io.consenthub.consent;

import io.consenthub.contact.ContactId;
import io.consenthub.shared.SqlArrays;
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
import java.util.function.Consumer;
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
    static final String EVENT_COLUMNS = V12_EVENT_COLUMNS
            + ", origin_channel, origin_actor_id, origin_proof_id, origin_ip, origin_user_agent";

    record Head(long lastSeq, String lastHash) {
    }

    private final JdbcClient jdbc;
    private final JdbcTemplate streaming;
    private final JdbcTemplate batch;

    LedgerStore(JdbcClient jdbc, DataSource dataSource) {
        this.jdbc = jdbc;
        this.streaming = new JdbcTemplate(dataSource);
        this.streaming.setFetchSize(1000);
        this.batch = new JdbcTemplate(dataSource);
    }

    /** Takes the ledger head's row lock: appends are serialised so the chain has one order. */
    Head lockHead() {
        return jdbc.sql("select last_seq, last_hash from ledger_head where id = 1 for update")
                .query((rs, n) -> new Head(rs.getLong(1), rs.getString(2)))
                .single();
    }

    Head head() {
        return jdbc.sql("select last_seq, last_hash from ledger_head where id = 1")
                .query((rs, n) -> new Head(rs.getLong(1), rs.getString(2)))
                .single();
    }

    /** Inserts events that follow the head in order, then moves the head to the last of them. */
    void insertAll(List<StoredEvent> events) {
        batch.batchUpdate("insert into consent_event (" + EVENT_COLUMNS
                        + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                events.stream().map(stored -> {
                    ConsentEvent e = stored.event();
                    Evidence ev = e.evidence();
                    Evidence.Origin origin = ev.origin();
                    return new Object[] {e.seq(), e.eventId(), e.contactId().value(), e.type().name(), e.subject(), e.value(),
                            e.previousValue(), ev.actorKind().name(), ev.actorId(), ev.channel(), utc(ev.occurredAt()),
                            stored.ip(), stored.userAgent(), ev.proofId(), stored.note(), e.prevHash(), e.hash(),
                            origin == null ? null : origin.channel(), origin == null ? null : origin.actorId(),
                            origin == null ? null : origin.proofId(), stored.originIp(), stored.originUserAgent()};
                }).toList());
        ConsentEvent last = events.get(events.size() - 1).event();
        jdbc.sql("update ledger_head set last_seq = ?, last_hash = ? where id = 1")
                .params(last.seq(), last.hash())
                .update();
    }

    /**
     * Moves the projection to these events: for each contact and subject the last of them wins.
     * Updates the rows that exist, then inserts the rest, each with one batched statement.
     */
    void projectAll(List<ConsentEvent> events) {
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
        return jdbc.sql("select " + EVENT_COLUMNS + " from consent_event where contact_id = ? order by seq")
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

    /** One round trip: the contact's consent state, or empty when the contact does not exist. */
    Optional<Map<String, String>> stateOfExisting(ContactId contact) {
        var state = new HashMap<String, String>();
        var found = new boolean[1];
        jdbc.sql("select s.subject, s.state_value from contact c left join consent_state s on s.contact_id = c.id where c.id = ?")
                .param(contact.value())
                .query(rs -> {
                    found[0] = true;
                    if (rs.getString(1) != null) {
                        state.put(rs.getString(1), rs.getString(2));
                    }
                });
        return found[0] ? Optional.of(state) : Optional.empty();
    }

    Instant lastEventAt(ContactId contact, EventType type) {
        return jdbc.sql("select occurred_at from consent_event where contact_id = ? and event_type = ? order by seq desc limit 1")
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
                order by seq desc""")
                .params(contact.value(), subject, value, EventType.OPT_IN_STATUS_CHANGED.name())
                .query((rs, n) -> rs.getString(1))
                .list().stream().findFirst().orElse(null);
    }

    void streamEvents(Consumer<StoredEvent> each) {
        streaming.query("select " + EVENT_COLUMNS + " from consent_event order by seq",
                (RowCallbackHandler) rs -> each.accept(eventRow(rs, 0)));
    }

    void streamState(Consumer<StateRow> each) {
        streaming.query("select contact_id, subject, state_value from consent_state",
                (RowCallbackHandler) rs -> each.accept(new StateRow(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3))));
    }

    record StateRow(UUID contactId, String subject, String value) {
    }

    /** Up to {@code limit} events after {@code seq}, in order: the next stretch of chain to verify. */
    List<StoredEvent> eventsAfter(long seq, int limit) {
        return jdbc.sql("select " + EVENT_COLUMNS + " from consent_event where seq > ? order by seq limit ?")
                .params(seq, limit).query(LedgerStore::eventRow).list();
    }

    /** The next contacts with events or projection rows after {@code cursor} (from the start when null), in id order. */
    List<UUID> contactsAfter(UUID cursor, int limit) {
        String ids = "select contact_id from consent_event union select contact_id from consent_state";
        return cursor == null
                ? jdbc.sql("select contact_id from (" + ids + ") u order by contact_id limit ?").param(limit).query(UUID.class).list()
                : jdbc.sql("select contact_id from (" + ids + ") u where contact_id > ? order by contact_id limit ?")
                        .params(cursor, limit).query(UUID.class).list();
    }

    /** Every event of these contacts, in chain order. */
    List<StoredEvent> eventsOf(List<UUID> contacts) {
        return jdbc.sql("select " + EVENT_COLUMNS + " from consent_event where contact_id in (" + placeholders(contacts.size())
                        + ") order by seq").params(List.copyOf(contacts)).query(LedgerStore::eventRow).list();
    }

    /** The projection rows of these contacts. */
    List<StateRow> stateOf(List<UUID> contacts) {
        return jdbc.sql("select contact_id, subject, state_value from consent_state where contact_id in ("
                        + placeholders(contacts.size()) + ")").params(List.copyOf(contacts))
                .query((rs, n) -> new StateRow(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3))).list();
    }

    private static String placeholders(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    static StoredEvent eventRow(ResultSet rs, int n) throws SQLException {
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
