package io.consenthub.fields;

import io.consenthub.contact.ContactDirectory;
import io.consenthub.contact.ContactId;
import io.consenthub.crypto.ContactKeys;
import io.consenthub.shared.ConflictException;
import io.consenthub.shared.NotFoundException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Key rotations as resumable jobs ({@link KeyRotationKind}). A job walks the contact keys in id
 * order, a batch per step, each contact in its own transaction, and stores its cursor after every
 * batch: a restart (or a failover to another member) goes on from there, and a contact done twice
 * is harmless (re-wrapping or re-sealing is idempotent in effect). A contact that fails is counted
 * and skipped, never stops the job. Progress is in {@code key_rotation}, at
 * {@code GET /api/keys/rotations/{id}} and in the gauges {@code consent_hub_key_rotation_done} and
 * {@code _total}, by kind. One job runs at a time.
 */
@Component("keyRotations")
public class KeyRotations {

    private static final Logger log = LoggerFactory.getLogger(KeyRotations.class);
    static final int BATCH = 200;

    private final JdbcClient jdbc;
    private final ContactKeys keys;
    private final ContactDirectory contacts;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final Map<KeyRotationKind, AtomicLong[]> progress = new EnumMap<>(KeyRotationKind.class);

    KeyRotations(JdbcClient jdbc, ContactKeys keys, ContactDirectory contacts, TransactionTemplate tx, Clock clock,
                 MeterRegistry meters) {
        this.jdbc = jdbc;
        this.keys = keys;
        this.contacts = contacts;
        this.tx = tx;
        this.clock = clock;
        for (KeyRotationKind kind : KeyRotationKind.values()) {
            var counters = new AtomicLong[] {new AtomicLong(), new AtomicLong()};
            progress.put(kind, counters);
            Gauge.builder("consent_hub_key_rotation_done", counters[0], AtomicLong::get)
                    .description("Contact keys the latest rotation of this kind has done").tag("kind", kind.name()).register(meters);
            Gauge.builder("consent_hub_key_rotation_total", counters[1], AtomicLong::get)
                    .description("Contact keys the latest rotation of this kind has to do").tag("kind", kind.name()).register(meters);
        }
        // the gauges start from the stored jobs, so a restart does not read as "nothing done"
        for (Job job : list()) {
            AtomicLong[] counters = progress.get(job.kind());
            if (counters[1].get() == 0) {
                counters[0].set(job.done());
                counters[1].set(job.total());
            }
        }
    }

    /** A job as stored and shown. */
    public record Job(String id, KeyRotationKind kind, String state, long done, long total, long failed, Instant startedAt,
                      Instant updatedAt, Instant finishedAt, String requestedBy) {
    }

    /** Starts a job; 409 while another one runs (two starts at once: the unique {@code running} column lets one in). */
    public Job start(KeyRotationKind kind, String requestedBy) {
        try {
            return startJob(kind, requestedBy);
        } catch (org.springframework.dao.DuplicateKeyException e) {
            throw new ConflictException("another key rotation was started at the same time; wait for it to finish");
        }
    }

    private Job startJob(KeyRotationKind kind, String requestedBy) {
        return tx.execute(s -> {
            jdbc.sql("select id from key_rotation where state = 'RUNNING' for update").query(String.class).list()
                    .stream().findFirst().ifPresent(running -> {
                        throw new ConflictException("key rotation " + running + " is still running; wait for it to finish");
                    });
            UUID id = UUID.randomUUID();
            OffsetDateTime now = OffsetDateTime.now(clock.withZone(ZoneOffset.UTC));
            long total = keys.counts().live();
            jdbc.sql("""
                    insert into key_rotation (id, kind, state, cursor_id, done, total, failed, started_at, updated_at, requested_by, running)
                    values (?, ?, 'RUNNING', null, 0, ?, 0, ?, ?, ?, 1)""")
                    .params(id, kind.name(), total, now, now, requestedBy).update();
            log.info("Key rotation {} ({}) started by {} over {} contact keys", id, kind, requestedBy, total);
            return get(id.toString());
        });
    }

    public Job get(String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("no key rotation with id " + id);
        }
        return jdbc.sql("select * from key_rotation where id = ?").param(uuid).query(KeyRotations::job).optional()
                .orElseThrow(() -> new NotFoundException("no key rotation with id " + id));
    }

    public List<Job> list() {
        return jdbc.sql("select * from key_rotation order by started_at desc fetch first 50 rows only").query(KeyRotations::job).list();
    }

    /** The running job, if any: what the rotation route steps. */
    public Optional<Job> running() {
        return jdbc.sql("select * from key_rotation where state = 'RUNNING' order by started_at fetch first 1 rows only")
                .query(KeyRotations::job).optional();
    }

    /** Does the next batch of the running job and stores its cursor; returns the job as it now is (empty when none runs). */
    public Optional<Job> step() {
        Optional<Job> running = running();
        if (running.isEmpty()) {
            return Optional.empty();
        }
        Job job = running.get();
        UUID cursor = jdbc.sql("select cursor_id from key_rotation where id = ?").param(UUID.fromString(job.id()))
                .query((rs, n) -> Optional.ofNullable(rs.getObject(1, UUID.class))).single().orElse(null);
        List<ContactId> batch = keys.keyedAfter(cursor == null ? null : new ContactId(cursor), BATCH);
        long failed = 0;
        for (ContactId contact : batch) {
            try {
                if (!tx.execute(s -> rotate(job.kind(), contact))) {
                    failed++;
                }
            } catch (RuntimeException e) {
                failed++;
                log.warn("Key rotation {} could not rotate the keys of contact {}: {}", job.id(), contact, e.getClass().getSimpleName());
            }
        }
        OffsetDateTime now = OffsetDateTime.now(clock.withZone(ZoneOffset.UTC));
        if (batch.isEmpty()) {
            jdbc.sql("update key_rotation set state = 'FINISHED', running = null, updated_at = ?, finished_at = ? where id = ?")
                    .params(now, now, UUID.fromString(job.id())).update();
            log.info("Key rotation {} ({}) finished: {} contact keys done, {} failed", job.id(), job.kind(), job.done(), job.failed());
        } else {
            jdbc.sql("update key_rotation set cursor_id = ?, done = done + ?, failed = failed + ?, updated_at = ? where id = ?")
                    .params(batch.get(batch.size() - 1).value(), batch.size(), failed, now, UUID.fromString(job.id())).update();
        }
        Job now2 = get(job.id());
        progress.get(now2.kind())[0].set(now2.done());
        progress.get(now2.kind())[1].set(now2.total());
        return Optional.of(now2);
    }

    /** One contact's rotation; false when something of it could not be done (counted as failed). */
    private boolean rotate(KeyRotationKind kind, ContactId contact) {
        return switch (kind) {
            case KEK -> {
                keys.rewrap(contact);
                yield true;
            }
            case DATA_KEYS -> {
                boolean added = keys.addDataKey(contact);
                yield added && contacts.resealSensitive(contact).unreadable() == 0;
            }
            case INDEX -> contacts.resealSensitive(contact).unreadable() == 0;
        };
    }

    private static Job job(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        OffsetDateTime finished = rs.getObject("finished_at", OffsetDateTime.class);
        return new Job(rs.getString("id"), KeyRotationKind.valueOf(rs.getString("kind")), rs.getString("state"), rs.getLong("done"),
                rs.getLong("total"), rs.getLong("failed"), rs.getObject("started_at", OffsetDateTime.class).toInstant(),
                rs.getObject("updated_at", OffsetDateTime.class).toInstant(), finished == null ? null : finished.toInstant(),
                rs.getString("requested_by"));
    }
}
