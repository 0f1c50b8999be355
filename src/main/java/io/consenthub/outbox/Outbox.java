package io.consenthub.outbox;

import io.consenthub.contact.ContactId;
import io.consenthub.shared.SqlArrays;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The transactional outbox. Producers enqueue inside the transaction of the change that causes the
 * message; delivery routes claim due messages, deliver them, and report the outcome. Every outcome
 * is kept, so nothing leaves silently and nothing is lost.
 */
@Service
public class Outbox {

    private static final String COLUMNS = "id, message_id, kind, destination, contact_id, batch_id, payload, attempts, created_at";

    private final JdbcClient jdbc;
    private final OutboxSettings settings;
    private final Clock clock;

    Outbox(JdbcClient jdbc, OutboxSettings settings, Clock clock) {
        this.jdbc = jdbc;
        this.settings = settings;
        this.clock = clock;
    }

    /** Enqueues in the caller's transaction; false if a message with this id was enqueued before. */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean enqueue(NewOutboxMessage message) {
        Instant now = clock.instant();
        if (jdbc.sql("select count(*) from outbox where message_id = ?").param(message.messageId()).query(Long.class).single() > 0) {
            return false;
        }
        try {
            jdbc.sql("""
                    insert into outbox (message_id, kind, destination, contact_id, batch_id, payload, status, attempts,
                                        next_attempt_at, created_at)
                    values (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)""")
                    .params(message.messageId(), message.kind(), message.destination(),
                            message.contactId() == null ? null : message.contactId().value(), message.batchId(),
                            message.payload(), OutboxStatus.PENDING.name(), utc(now), utc(now))
                    .update();
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    /**
     * Enqueues many messages in the caller's transaction, a statement per {@link SqlArrays#PART}; a message whose
     * id is already in the outbox, or earlier in the list, is left out. Returns how many were
     * enqueued. Unlike {@link #enqueue}, a message with the same id inserted meanwhile by a
     * transaction not yet committed makes this fail rather than be skipped: callers give their
     * messages ids no other transaction uses (a ledger seq, a contact and a CRM).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public int enqueueAll(List<NewOutboxMessage> messages) {
        var unique = new LinkedHashMap<String, NewOutboxMessage>();
        messages.forEach(m -> unique.putIfAbsent(m.messageId(), m));
        String now = SqlArrays.timestamp(clock.instant());
        if (unique.size() == 1) {
            return enqueueOne(unique.values().iterator().next(), now);
        }
        int enqueued = 0;
        for (List<NewOutboxMessage> part : SqlArrays.parts(unique.values())) {
            enqueued += jdbc.sql("""
                    insert into outbox (message_id, kind, destination, contact_id, batch_id, payload, status, attempts,
                                        next_attempt_at, created_at)
                    select r.message_id, r.kind, r.destination, cast(r.contact_id as uuid), r.batch_id, r.payload, ?, 0,
                           cast(? as timestamp with time zone), cast(? as timestamp with time zone)
                      from unnest(cast(? as varchar array), cast(? as varchar array), cast(? as varchar array),
                                  cast(? as varchar array), cast(? as varchar array), cast(? as varchar array))
                           r(message_id, kind, destination, contact_id, batch_id, payload)
                     where not exists (select 1 from outbox o where o.message_id = r.message_id)""")
                    .params(OutboxStatus.PENDING.name(), now, now,
                            part.stream().map(NewOutboxMessage::messageId).toArray(String[]::new),
                            part.stream().map(NewOutboxMessage::kind).toArray(String[]::new),
                            part.stream().map(NewOutboxMessage::destination).toArray(String[]::new),
                            part.stream().map(m -> m.contactId() == null ? null : m.contactId().value().toString()).toArray(String[]::new),
                            part.stream().map(NewOutboxMessage::batchId).toArray(String[]::new),
                            part.stream().map(NewOutboxMessage::payload).toArray(String[]::new))
                    .update();
        }
        return enqueued;
    }

    /**
     * {@link #enqueueAll} of one message, the common case (the changes of one transaction): the same
     * statement with the id checked by equality, which the unique index answers whatever the
     * planner believes about the table. Joined against an array, a planner without fresh
     * statistics (a new or fast-growing outbox) scans the whole table instead, once per enqueue.
     */
    private int enqueueOne(NewOutboxMessage m, String now) {
        return jdbc.sql("""
                insert into outbox (message_id, kind, destination, contact_id, batch_id, payload, status, attempts,
                                    next_attempt_at, created_at)
                select ?, ?, ?, ?, ?, ?, ?, 0, cast(? as timestamp with time zone), cast(? as timestamp with time zone)
                 where not exists (select 1 from outbox o where o.message_id = ?)""")
                .params(m.messageId(), m.kind(), m.destination(), m.contactId() == null ? null : m.contactId().value(),
                        m.batchId(), m.payload(), OutboxStatus.PENDING.name(), now, now, m.messageId())
                .update();
    }

    /** Which of these contacts have a message of this kind for this destination still waiting (see {@link #hasPending}). */
    public Set<ContactId> pendingFor(String kind, String destination, Collection<ContactId> contacts) {
        var pending = new HashSet<ContactId>();
        if (contacts.size() == 1) {
            // one contact (one change) by equality, so the contact index answers it whatever the table's statistics
            ContactId contact = contacts.iterator().next();
            if (jdbc.sql("select count(*) from outbox where contact_id = ? and kind = ? and destination = ? and status = ?")
                    .params(contact.value(), kind, destination, OutboxStatus.PENDING.name()).query(Long.class).single() > 0) {
                pending.add(contact);
            }
            return pending;
        }
        for (List<String> part : SqlArrays.parts(contacts.stream().map(id -> id.value().toString()).toList())) {
            jdbc.sql("select distinct o.contact_id from " + SqlArrays.KEYS + " join outbox o on o.contact_id = cast(k.v as uuid)"
                            + " where o.kind = ? and o.destination = ? and o.status = ?")
                    .params(part.toArray(String[]::new), kind, destination,
                            OutboxStatus.PENDING.name())
                    .query((rs, n) -> pending.add(new ContactId(rs.getObject(1, UUID.class))))
                    .list();
        }
        return pending;
    }

    /**
     * Whether a message of this kind for this destination and contact is still waiting (not yet
     * claimed), so a producer whose delivery reads current state can coalesce instead of enqueuing again.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean hasPending(String kind, String destination, ContactId contact) {
        return jdbc.sql("select count(*) from outbox where kind = ? and destination = ? and contact_id = ? and status = ?")
                .params(kind, destination, contact.value(), OutboxStatus.PENDING.name())
                .query(Long.class).single() > 0;
    }

    /**
     * Claims up to {@code max} due messages of one kind for delivery, oldest first, leasing them so
     * no other poller takes them meanwhile.
     */
    @Transactional
    public List<OutboxMessage> claim(String kind, int max) {
        Instant now = clock.instant();
        List<OutboxMessage> due = jdbc.sql("select " + COLUMNS
                        + " from outbox where kind = ? and status in (?, ?) and next_attempt_at <= ?"
                        + " order by next_attempt_at, id limit ? for update")
                .params(kind, OutboxStatus.PENDING.name(), OutboxStatus.IN_FLIGHT.name(), utc(now), max)
                .query(Outbox::row)
                .list();
        for (OutboxMessage m : due) {
            jdbc.sql("update outbox set status = ?, attempts = attempts + 1, next_attempt_at = ? where id = ?")
                    .params(OutboxStatus.IN_FLIGHT.name(), utc(now.plus(settings.lease())), m.id())
                    .update();
        }
        return due.stream().map(m -> new OutboxMessage(m.id(), m.messageId(), m.kind(), m.destination(), m.contactId(),
                m.batchId(), m.payload(), m.attempts() + 1, m.createdAt())).toList();
    }

    /**
     * As {@link #claim(String, int)}, leaving out messages for the destinations named (e.g. partners
     * whose circuit is open), so their messages spend no attempt while nobody could take them.
     */
    @Transactional
    public List<OutboxMessage> claim(String kind, int max, Collection<String> skippedDestinations) {
        if (skippedDestinations.isEmpty()) {
            return claim(kind, max);
        }
        Instant now = clock.instant();
        var params = new java.util.ArrayList<Object>(List.of(kind, OutboxStatus.PENDING.name(), OutboxStatus.IN_FLIGHT.name(), utc(now)));
        params.addAll(skippedDestinations);
        params.add(max);
        List<OutboxMessage> due = jdbc.sql("select " + COLUMNS
                        + " from outbox where kind = ? and status in (?, ?) and next_attempt_at <= ? and destination not in ("
                        + String.join(", ", java.util.Collections.nCopies(skippedDestinations.size(), "?"))
                        + ") order by next_attempt_at, id limit ? for update")
                .params(params)
                .query(Outbox::row)
                .list();
        for (OutboxMessage m : due) {
            jdbc.sql("update outbox set status = ?, attempts = attempts + 1, next_attempt_at = ? where id = ?")
                    .params(OutboxStatus.IN_FLIGHT.name(), utc(now.plus(settings.lease())), m.id())
                    .update();
        }
        return due.stream().map(m -> new OutboxMessage(m.id(), m.messageId(), m.kind(), m.destination(), m.contactId(),
                m.batchId(), m.payload(), m.attempts() + 1, m.createdAt())).toList();
    }

    /**
     * A failed attempt retried at a time the caller chose (its destination's own retry policy),
     * never given up: for messages that must arrive however long their destination is away.
     */
    @Transactional
    public boolean retryAt(OutboxMessage message, Instant at, String error) {
        String reason = error == null ? "unknown error" : error.length() > 1000 ? error.substring(0, 1000) : error;
        return jdbc.sql("update outbox set status = ?, next_attempt_at = ?, last_error = ? where id = ? and status = ? and attempts = ?")
                .params(OutboxStatus.PENDING.name(), utc(at), reason, message.id(), OutboxStatus.IN_FLIGHT.name(), message.attempts())
                .update() == 1;
    }

    /**
     * Whether the contact has a message of one of these kinds not yet finished (waiting or in
     * flight), optionally only for one destination and only enqueued before {@code beforeId}:
     * what a delivery that must keep order, or must wait for other messages, asks.
     */
    @Transactional(propagation = Propagation.SUPPORTS)
    public boolean hasUnfinished(Collection<String> kinds, ContactId contact, String destination, long beforeId) {
        var params = new java.util.ArrayList<Object>();
        params.add(contact.value());
        params.addAll(kinds);
        params.addAll(List.of(OutboxStatus.PENDING.name(), OutboxStatus.IN_FLIGHT.name(), beforeId));
        if (destination != null) {
            params.add(destination);
        }
        return jdbc.sql("select count(*) from outbox where contact_id = ? and kind in ("
                        + String.join(", ", java.util.Collections.nCopies(kinds.size(), "?"))
                        + ") and status in (?, ?) and id < ?" + (destination == null ? "" : " and destination = ?"))
                .params(params).query(Long.class).single() > 0;
    }

    /** The destinations of this kind a contact's messages were ever handed to or tried with (attempted at least once). */
    @Transactional(propagation = Propagation.SUPPORTS)
    public Set<String> destinationsTried(String kind, ContactId contact) {
        return new java.util.TreeSet<>(jdbc.sql("select distinct destination from outbox where kind = ? and contact_id = ? and attempts > 0")
                .params(kind, contact.value()).query(String.class).list());
    }

    /** The destinations of this kind that still have a message of the contact to deliver (pending or in flight). */
    @Transactional(propagation = Propagation.SUPPORTS)
    public Set<String> unfinishedDestinations(String kind, ContactId contact) {
        return new java.util.TreeSet<>(jdbc.sql("select distinct destination from outbox where kind = ? and contact_id = ? and status in (?, ?)")
                .params(kind, contact.value(), OutboxStatus.PENDING.name(), OutboxStatus.IN_FLIGHT.name())
                .query(String.class).list());
    }

    /** Which of these contacts have any message of these kinds, in any status (a few statements for a whole batch). */
    @Transactional(propagation = Propagation.SUPPORTS)
    public Set<ContactId> contactsWith(Collection<String> kinds, Collection<ContactId> contacts) {
        var found = new HashSet<ContactId>();
        String kindList = String.join(", ", java.util.Collections.nCopies(kinds.size(), "?"));
        if (contacts.size() == 1) {
            // one contact (one change) by equality, so the contact index answers it whatever the table's statistics
            ContactId contact = contacts.iterator().next();
            var params = new java.util.ArrayList<Object>(List.of(contact.value()));
            params.addAll(kinds);
            if (!jdbc.sql("select 1 from outbox where contact_id = ? and kind in (" + kindList + ") fetch first 1 rows only")
                    .params(params).query(Integer.class).list().isEmpty()) {
                found.add(contact);
            }
            return found;
        }
        for (List<String> part : SqlArrays.parts(contacts.stream().map(id -> id.value().toString()).toList())) {
            var params = new java.util.ArrayList<Object>();
            params.add(part.toArray(String[]::new));
            params.addAll(kinds);
            jdbc.sql("select distinct o.contact_id from " + SqlArrays.KEYS + " join outbox o on o.contact_id = cast(k.v as uuid)"
                            + " where o.kind in (" + kindList + ")")
                    .params(params)
                    .query((rs, n) -> found.add(new ContactId(rs.getObject(1, UUID.class))))
                    .list();
        }
        return found;
    }

    /**
     * Starts the claim's lease again from now, if the caller still holds it: a consumer that works
     * through a claimed batch one slow call at a time renews each message as it starts on it, so no
     * lease runs out while the message waits its turn in the batch. False when the claim was lost.
     */
    @Transactional
    public boolean renewClaim(OutboxMessage message) {
        return jdbc.sql("update outbox set next_attempt_at = ? where id = ? and status = ? and attempts = ?")
                .params(utc(clock.instant().plus(settings.lease())), message.id(), OutboxStatus.IN_FLIGHT.name(), message.attempts())
                .update() == 1;
    }

    /** Whether the caller still holds its claim on the message (same attempt, still in flight): checked before anything leaves. */
    @Transactional(propagation = Propagation.SUPPORTS)
    public boolean holdsClaim(OutboxMessage message) {
        return jdbc.sql("select count(*) from outbox where id = ? and status = ? and attempts = ?")
                .params(message.id(), OutboxStatus.IN_FLIGHT.name(), message.attempts()).query(Long.class).single() == 1;
    }

    /** Cancels a contact's undelivered messages of one kind for one destination, in the caller's transaction. */
    @Transactional(propagation = Propagation.MANDATORY)
    public int cancelPending(ContactId contact, String kind, String destination, String reason) {
        return jdbc.sql("update outbox set status = ?, last_error = ?, finished_at = ? where contact_id = ? and kind = ?"
                        + " and destination = ? and status in (?, ?)")
                .params(OutboxStatus.CANCELLED.name(), reason, utc(clock.instant()), contact.value(), kind, destination,
                        OutboxStatus.PENDING.name(), OutboxStatus.IN_FLIGHT.name())
                .update();
    }

    /** A contact's messages of these kinds, oldest first: id, message id, kind, destination, status, attempts, reason, times. */
    @Transactional(readOnly = true)
    public List<Map<String, Object>> ofContact(ContactId contact, Collection<String> kinds) {
        var params = new java.util.ArrayList<Object>();
        params.add(contact.value());
        params.addAll(kinds);
        return jdbc.sql("select id, message_id, kind, destination, status, attempts, last_error, created_at, finished_at from outbox"
                        + " where contact_id = ? and kind in (" + String.join(", ", java.util.Collections.nCopies(kinds.size(), "?"))
                        + ") order by id")
                .params(params)
                .query((rs, n) -> {
                    var m = new LinkedHashMap<String, Object>();
                    m.put("id", rs.getLong(1));
                    m.put("messageId", rs.getString(2));
                    m.put("kind", rs.getString(3));
                    m.put("destination", rs.getString(4));
                    m.put("status", rs.getString(5));
                    m.put("attempts", rs.getInt(6));
                    m.put("reason", rs.getString(7));
                    m.put("enqueuedAt", rs.getObject(8, OffsetDateTime.class).toInstant());
                    OffsetDateTime finished = rs.getObject(9, OffsetDateTime.class);
                    m.put("finishedAt", finished == null ? null : finished.toInstant());
                    return (Map<String, Object>) m;
                })
                .list();
    }

    /**
     * Per destination of one kind: message counts per status, how many waiting messages have failed
     * at least once, and the newest failure's reason and time.
     */
    @Transactional(readOnly = true)
    public DestinationStatus destinationStatus(String kind, String destination) {
        var counts = new LinkedHashMap<String, Long>();
        for (OutboxStatus s : OutboxStatus.values()) {
            counts.put(s.name(), 0L);
        }
        jdbc.sql("select status, count(*) from outbox where kind = ? and destination = ? group by status")
                .params(kind, destination)
                .query((rs, n) -> counts.put(rs.getString(1), rs.getLong(2)))
                .list();
        long failing = jdbc.sql("select count(*) from outbox where kind = ? and destination = ? and status in (?, ?) and last_error is not null")
                .params(kind, destination, OutboxStatus.PENDING.name(), OutboxStatus.IN_FLIGHT.name()).query(Long.class).single();
        var last = jdbc.sql("select last_error, next_attempt_at from outbox where kind = ? and destination = ? and status in (?, ?)"
                        + " and last_error is not null order by id desc limit 1")
                .params(kind, destination, OutboxStatus.PENDING.name(), OutboxStatus.IN_FLIGHT.name())
                .query((rs, n) -> Map.entry(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant()))
                .optional();
        return new DestinationStatus(counts, failing, last.map(Map.Entry::getKey).orElse(null),
                last.map(Map.Entry::getValue).orElse(null));
    }

    /** What {@link #destinationStatus} answers. */
    public record DestinationStatus(Map<String, Long> counts, long failing, String lastError, Instant nextAttemptAt) {
    }

    /**
     * Records a delivery. Like every outcome it only lands while the caller still holds the claim
     * (same attempt, still IN_FLIGHT): a late answer from a claim whose lease ran out changes nothing.
     */
    @Transactional
    public boolean delivered(OutboxMessage message) {
        return finish(message, OutboxStatus.DELIVERED, null);
    }

    @Transactional
    public boolean refused(OutboxMessage message, String reason) {
        return finish(message, OutboxStatus.REFUSED, reason);
    }

    /** A failed attempt: due again after the backoff, or FAILED once attempts are exhausted. */
    @Transactional
    public boolean failed(OutboxMessage message, String error) {
        String reason = error == null ? "unknown error" : error.length() > 1000 ? error.substring(0, 1000) : error;
        if (message.attempts() >= settings.maxAttempts()) {
            return finish(message, OutboxStatus.FAILED, reason);
        }
        return jdbc.sql("update outbox set status = ?, next_attempt_at = ?, last_error = ? where id = ? and status = ? and attempts = ?")
                .params(OutboxStatus.PENDING.name(), utc(clock.instant().plus(settings.backoffAfter(message.attempts()))), reason,
                        message.id(), OutboxStatus.IN_FLIGHT.name(), message.attempts())
                .update() == 1;
    }

    /**
     * A message that could not be tried now for a reason that is not its own (the destination
     * refuses all calls for a while): due again at {@code until}, and the attempt is not counted,
     * so a destination that is away for a day exhausts no message's retries.
     */
    @Transactional
    public boolean postponed(OutboxMessage message, Instant until, String reason) {
        return postponed(message, until, reason, false);
    }

    /**
     * As {@link #postponed(OutboxMessage, Instant, String)}, keeping the message's last error: a
     * wait that says nothing new about the destination (its circuit is still open) must not hide the
     * failure that opened it.
     */
    @Transactional
    public boolean postponedKeepingError(OutboxMessage message, Instant until) {
        return postponed(message, until, null, true);
    }

    private boolean postponed(OutboxMessage message, Instant until, String reason, boolean keepError) {
        if (keepError) {
            return jdbc.sql("update outbox set status = ?, next_attempt_at = ?, attempts = attempts - 1"
                            + " where id = ? and status = ? and attempts = ?")
                    .params(OutboxStatus.PENDING.name(), utc(until), message.id(), OutboxStatus.IN_FLIGHT.name(), message.attempts())
                    .update() == 1;
        }
        String text = reason == null ? "postponed" : reason.length() > 1000 ? reason.substring(0, 1000) : reason;
        return jdbc.sql("update outbox set status = ?, next_attempt_at = ?, last_error = ?, attempts = attempts - 1"
                        + " where id = ? and status = ? and attempts = ?")
                .params(OutboxStatus.PENDING.name(), utc(until), text, message.id(), OutboxStatus.IN_FLIGHT.name(), message.attempts())
                .update() == 1;
    }

    /** Gives a message up (FAILED) before the outbox's own attempt limit, by its destination's retry policy. */
    @Transactional
    public boolean gaveUp(OutboxMessage message, String reason) {
        return finish(message, OutboxStatus.FAILED, reason == null ? null : reason.length() > 1000 ? reason.substring(0, 1000) : reason);
    }

    /** A delivery with a note on what of it did not land (e.g. one of the contact's records refused). */
    @Transactional
    public boolean delivered(OutboxMessage message, String note) {
        return finish(message, OutboxStatus.DELIVERED, note);
    }

    /**
     * Erasure: the contact's messages of one kind keep their ids and outcomes (campaign counts,
     * delivery history) but lose their payloads, which carry addresses, texts and attributes; the
     * undelivered ones are cancelled first, so none goes out with an erased payload.
     * Returns the messages erased.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public int erasePayloads(ContactId contact, String kind) {
        cancelPending(contact, kind, "contact-erased");
        return jdbc.sql("update outbox set payload = ?, last_error = null where contact_id = ? and kind = ? and payload <> ?")
                .params(ERASED_PAYLOAD, contact.value(), kind, ERASED_PAYLOAD).update();
    }

    /** What an erased message's payload reads as. */
    public static final String ERASED_PAYLOAD = "{\"erased\":true}";

    /** Cancels a contact's undelivered messages of one kind, in the caller's transaction. */
    @Transactional(propagation = Propagation.MANDATORY)
    public int cancelPending(ContactId contact, String kind, String reason) {
        return jdbc.sql("update outbox set status = ?, last_error = ?, finished_at = ? where contact_id = ? and kind = ? and status in (?, ?)")
                .params(OutboxStatus.CANCELLED.name(), reason, utc(clock.instant()), contact.value(), kind,
                        OutboxStatus.PENDING.name(), OutboxStatus.IN_FLIGHT.name())
                .update();
    }

    /** Message counts per status for a batch (e.g. a campaign). */
    @Transactional(readOnly = true)
    public Map<String, Long> progress(String batchId) {
        var counts = new LinkedHashMap<String, Long>();
        for (OutboxStatus s : OutboxStatus.values()) {
            counts.put(s.name(), 0L);
        }
        jdbc.sql("select status, count(*) from outbox where batch_id = ? group by status")
                .param(batchId)
                .query((rs, n) -> counts.put(rs.getString(1), rs.getLong(2)))
                .list();
        return counts;
    }

    /** When the message was handed to its destination; empty while it was not (or never will be). */
    public java.util.Optional<java.time.Instant> deliveredAt(String messageId) {
        return jdbc.sql("select finished_at from outbox where message_id = ? and status = ?")
                .params(messageId, OutboxStatus.DELIVERED.name())
                .query(java.time.OffsetDateTime.class).optional().map(java.time.OffsetDateTime::toInstant);
    }

    @Transactional(readOnly = true)
    public Map<String, Object> find(String messageId) {
        return jdbc.sql("select message_id, kind, destination, status, attempts, last_error from outbox where message_id = ?")
                .param(messageId)
                .query((rs, n) -> {
                    var m = new LinkedHashMap<String, Object>();
                    m.put("messageId", rs.getString(1));
                    m.put("kind", rs.getString(2));
                    m.put("destination", rs.getString(3));
                    m.put("status", rs.getString(4));
                    m.put("attempts", rs.getInt(5));
                    m.put("lastError", rs.getString(6));
                    return (Map<String, Object>) m;
                })
                .optional().orElse(Map.of());
    }

    /**
     * Messages of one kind for one destination in these statuses, newest first, {@code limit} at a
     * time from before the id {@code before} (null: the newest): id, contact id, status, attempts,
     * reason (the refusal or last error), when enqueued and finished. Never the payload.
     */
    @Transactional(readOnly = true)
    public List<Map<String, Object>> list(String kind, String destination, List<OutboxStatus> statuses, Long before, int limit) {
        var params = new java.util.ArrayList<Object>(List.of(kind, destination, before == null ? Long.MAX_VALUE : before));
        statuses.forEach(status -> params.add(status.name()));
        params.add(limit);
        return jdbc.sql("select id, contact_id, status, attempts, last_error, created_at, finished_at from outbox"
                        + " where kind = ? and destination = ? and id < ? and status in ("
                        + String.join(", ", java.util.Collections.nCopies(statuses.size(), "?")) + ") order by id desc limit ?")
                .params(params)
                .query((rs, n) -> {
                    var m = new LinkedHashMap<String, Object>();
                    m.put("id", rs.getLong(1));
                    UUID contact = rs.getObject(2, UUID.class);
                    m.put("contactId", contact == null ? null : contact.toString());
                    m.put("status", rs.getString(3));
                    m.put("attempts", rs.getInt(4));
                    m.put("reason", rs.getString(5));
                    m.put("enqueuedAt", rs.getObject(6, OffsetDateTime.class).toInstant());
                    OffsetDateTime finished = rs.getObject(7, OffsetDateTime.class);
                    m.put("finishedAt", finished == null ? null : finished.toInstant());
                    return (Map<String, Object>) m;
                })
                .list();
    }

    private boolean finish(OutboxMessage message, OutboxStatus status, String reason) {
        return jdbc.sql("update outbox set status = ?, last_error = ?, finished_at = ? where id = ? and status = ? and attempts = ?")
                .params(status.name(), reason, utc(clock.instant()), message.id(), OutboxStatus.IN_FLIGHT.name(), message.attempts())
                .update() == 1;
    }

    private static OutboxMessage row(ResultSet rs, int n) throws SQLException {
        UUID contact = rs.getObject("contact_id", UUID.class);
        return new OutboxMessage(rs.getLong("id"), rs.getString("message_id"), rs.getString("kind"),
                rs.getString("destination"), contact == null ? null : new ContactId(contact), rs.getString("batch_id"),
                rs.getString("payload"), rs.getInt("attempts"), rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
