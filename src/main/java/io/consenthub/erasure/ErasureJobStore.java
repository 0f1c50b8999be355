package io.consenthub.erasure;

import io.consenthub.contact.ContactId;
import io.consenthub.crypto.SealedBoxes;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** SQL for erasure jobs and their finished steps; every statement binds its parameters. */
@Repository
class ErasureJobStore {

    /** A job as stored. {@code nextStep} is null once it is done. */
    record Job(UUID id, ContactId contact, String requestedBy, String reason, String state, ErasureStep nextStep,
               int attempts, Instant nextAttemptAt, String lastError, SealedBoxes.Sealed targets, String certificate,
               Instant createdAt, Instant updatedAt, Instant finishedAt, boolean eraseInCrms, boolean removeRecord) {

        boolean done() {
            return DONE.equals(state);
        }
    }

    /** A finished step, or item of a step. */
    record Step(ErasureStep step, String item, String outcome, String detail, Instant finishedAt) {
    }

    static final String RUNNING = "RUNNING";
    static final String WAITING = "WAITING";
    static final String DONE = "DONE";

    private final JdbcClient jdbc;

    ErasureJobStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts the job unless the contact has one; answers the contact's job either way. */
    Job insert(UUID id, ContactId contact, String requestedBy, String reason, SealedBoxes.Sealed targets, Instant now,
               ErasureJobs.Scope scope) {
        jdbc.sql("""
                insert into erasure_job (id, contact_id, requested_by, reason, state, next_step, attempts, next_attempt_at,
                                         wrapped_key, scan_targets, created_at, updated_at, erase_in_crms, remove_record)
                select ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ? where not exists (select 1 from erasure_job where contact_id = ?)""")
                .params(id, contact.value(), requestedBy, reason, RUNNING, ErasureStep.values()[0].name(), utc(now),
                        targets.wrappedKey(), targets.ciphertext(), utc(now), utc(now), scope.eraseInCrms(), scope.removeRecord(),
                        contact.value())
                .update();
        return ofContact(contact).orElseThrow();
    }

    Optional<Job> find(UUID id) {
        return jdbc.sql("select * from erasure_job where id = ?").param(id).query(ErasureJobStore::job).optional();
    }

    Optional<Job> ofContact(ContactId contact) {
        return jdbc.sql("select * from erasure_job where contact_id = ?").param(contact.value()).query(ErasureJobStore::job).optional();
    }

    void markRemoval(UUID id, Instant now) {
        jdbc.sql("update erasure_job set remove_record = true, updated_at = ? where id = ?").params(utc(now), id).update();
    }

    /** Takes the job's row lock, so one step of a job runs at a time even if two members ever tried. */
    Optional<Job> lock(UUID id) {
        return jdbc.sql("select * from erasure_job where id = ? for update").param(id).query(ErasureJobStore::job).optional();
    }

    /** Jobs not done whose next attempt is due, oldest first. */
    List<UUID> due(Instant now, int limit) {
        return jdbc.sql("select id from erasure_job where state in (?, ?) and next_attempt_at <= ? order by created_at, id limit ?")
                .params(RUNNING, WAITING, utc(now), limit).query(UUID.class).list();
    }

    /** Every job, by contact: state and id, for the open-request list. */
    Map<ContactId, Job> all() {
        var jobs = new java.util.HashMap<ContactId, Job>();
        jdbc.sql("select * from erasure_job").query(ErasureJobStore::job).list().forEach(j -> jobs.put(j.contact(), j));
        return jobs;
    }

    List<Step> steps(UUID job) {
        return jdbc.sql("select step, item, outcome, detail, finished_at from erasure_step where job_id = ? order by finished_at, step, item")
                .param(job)
                .query((rs, n) -> new Step(ErasureStep.valueOf(rs.getString(1)), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getObject(5, OffsetDateTime.class).toInstant()))
                .list();
    }

    boolean stepDone(UUID job, ErasureStep step, String item) {
        return jdbc.sql("select count(*) from erasure_step where job_id = ? and step = ? and item = ?")
                .params(job, step.name(), item).query(Long.class).single() > 0;
    }

    void recordStep(UUID job, ErasureStep step, String item, String outcome, String detail, Instant now) {
        jdbc.sql("insert into erasure_step (job_id, step, item, outcome, detail, finished_at) values (?, ?, ?, ?, ?, ?)")
                .params(job, step.name(), item, outcome, detail, utc(now)).update();
    }

    /** The step is finished: the job moves on to the next (or is done) and its failure count starts again. */
    void advance(UUID job, ErasureStep next, Instant now) {
        jdbc.sql("update erasure_job set next_step = ?, state = ?, attempts = 0, last_error = null, next_attempt_at = ?,"
                        + " updated_at = ? where id = ?")
                .params(next == null ? null : next.name(), next == null ? DONE : RUNNING, utc(now), utc(now), job).update();
    }

    /** The step cannot finish yet (partners owe acknowledgements): tried again at {@code at}. */
    void waitUntil(UUID job, Instant at, String why, Instant now) {
        jdbc.sql("update erasure_job set state = ?, last_error = ?, next_attempt_at = ?, updated_at = ? where id = ?")
                .params(WAITING, why, utc(at), utc(now), job).update();
    }

    /** The step failed: tried again at {@code at}; the error names no personal data. */
    void failed(UUID job, String error, Instant at, Instant now) {
        jdbc.sql("update erasure_job set attempts = attempts + 1, last_error = ?, next_attempt_at = ?, updated_at = ? where id = ?")
                .params(error.length() > 1000 ? error.substring(0, 1000) : error, utc(at), utc(now), job).update();
    }

    /** The job is done: its certificate is stored and its sealed targets and their key are destroyed. */
    void finish(UUID job, String certificate, Instant now) {
        jdbc.sql("""
                update erasure_job set state = ?, next_step = null, certificate = ?, wrapped_key = null, scan_targets = null,
                       attempts = 0, last_error = null, finished_at = ?, updated_at = ? where id = ?""")
                .params(DONE, certificate, utc(now), utc(now), job).update();
    }

    private static Job job(ResultSet rs, int n) throws SQLException {
        String next = rs.getString("next_step");
        return new Job(rs.getObject("id", UUID.class), new ContactId(rs.getObject("contact_id", UUID.class)),
                rs.getString("requested_by"), rs.getString("reason"), rs.getString("state"),
                next == null ? null : ErasureStep.valueOf(next), rs.getInt("attempts"), instant(rs, "next_attempt_at"),
                rs.getString("last_error"), new SealedBoxes.Sealed(rs.getString("wrapped_key"), rs.getString("scan_targets")),
                rs.getString("certificate"), instant(rs, "created_at"), instant(rs, "updated_at"), instant(rs, "finished_at"),
                rs.getBoolean("erase_in_crms"), rs.getBoolean("remove_record"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
