package io.consenthub.consent;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Verifies the ledger on a schedule, incrementally, so tampering is found without anyone calling
 * {@code /api/ledger/verify}: each run continues from the last checkpoint it verified — the new
 * checkpoints' signatures and links, the sealed heads against the newest signed root, and in full
 * every contact whose chain a checkpoint sealed since — and re-checks a rotating slice of contacts
 * in full (every one of their rows re-hashed and replayed against their projection rows), so an edit
 * anywhere, old rows and hand-edited projection rows included, is found within one cycle over all
 * contacts. Progress and findings live in {@code ledger_verification} (one row, shared by the
 * cluster); the run is leader-only (route {@code ledger-verification}). A problem stays open, in the
 * {@code ledger} health indicator and the metric {@code consent_ledger_verification_open_problems},
 * until a whole cycle finds none.
 */
@Service
public class LedgerWatch {

    private static final Logger log = LoggerFactory.getLogger(LedgerWatch.class);

    /** What the runs so far found; {@code openProblems} counts the current and the last complete cycle. */
    public record Status(long verifiedCheckpoint, int openProblems, long cyclesCompleted, Instant lastRunAt, String lastProblem) {
    }

    private record Progress(long verifiedCheckpoint, UUID cursor, int cycleProblems, int lastCycleProblems, long cycles) {
    }

    private final LedgerStore store;
    private final LedgerVerifier verifier;
    private final LedgerCheckpoints checkpoints;
    private final JdbcClient jdbc;
    private final Clock clock;
    private final LedgerWatchSettings settings;
    private final Counter clean;
    private final Counter tampered;

    LedgerWatch(LedgerStore store, LedgerVerifier verifier, LedgerCheckpoints checkpoints, JdbcClient jdbc, Clock clock,
                LedgerWatchSettings settings, MeterRegistry meters) {
        this.store = store;
        this.verifier = verifier;
        this.checkpoints = checkpoints;
        this.jdbc = jdbc;
        this.clock = clock;
        this.settings = settings;
        this.clean = Counter.builder("consent_ledger_verification_runs").tag("outcome", "ok").register(meters);
        this.tampered = Counter.builder("consent_ledger_verification_runs").tag("outcome", "problems").register(meters);
        Gauge.builder("consent_ledger_verification_open_problems", this, watch -> watch.status().openProblems())
                .description("problems found by the scheduled ledger verification in the current or last complete cycle")
                .register(meters);
        Gauge.builder("consent_ledger_verified_checkpoint", this, watch -> watch.status().verifiedCheckpoint())
                .description("the ledger is verified up to this signed checkpoint").register(meters);
        Gauge.builder("consent_ledger_full_verification_events", verifier, LedgerVerifier::progress)
                .description("events checked by the full verification running now, or by the last one").register(meters);
    }

    /** One run: the checkpoints and chains sealed since the last verified checkpoint, and the next slice of contacts. */
    @Transactional(isolation = Isolation.REPEATABLE_READ)
    public List<LedgerVerification.Problem> verifyIncrementally() {
        Progress at = jdbc.sql("""
                        select verified_checkpoint, contact_cursor, cycle_problems, last_cycle_problems, cycles_completed
                        from ledger_verification where id = 1 for update""")
                .query((rs, n) -> new Progress(rs.getLong(1), rs.getObject(2, UUID.class), rs.getInt(3), rs.getInt(4), rs.getLong(5)))
                .single();
        var problems = new Problems();
        checkpoints.holdSealing();

        Optional<LedgerCheckpoints.Signed> newest = checkpoints.verifyAfter(at.verifiedCheckpoint(), problems);
        if (newest.isPresent()) {
            var root = new MerkleRoot();
            store.sealedHeads(root);
            LedgerVerifier.compareRoot(newest.get(), root, problems);
            UUID after = null;
            while (true) {
                List<UUID> moved = store.sealedAfter(at.verifiedCheckpoint(), after, settings.contactsPerRun());
                verifier.contacts(moved, problems);
                if (moved.size() < settings.contactsPerRun()) {
                    break;
                }
                after = moved.get(moved.size() - 1);
            }
        }
        boolean checkpointsOk = problems.none();

        List<UUID> contacts = store.contactsAfter(at.cursor(), settings.contactsPerRun());
        verifier.contacts(contacts, problems);
        boolean cycleEnds = contacts.size() < settings.contactsPerRun();
        int cycleProblems = (int) Math.min(Integer.MAX_VALUE, at.cycleProblems() + problems.count());
        List<LedgerVerification.Problem> found = problems.kept();

        jdbc.sql("""
                        update ledger_verification set verified_checkpoint = ?, contact_cursor = ?, cycle_problems = ?,
                        last_cycle_problems = ?, cycles_completed = ?, last_run_at = ?, last_problem = coalesce(?, last_problem)
                        where id = 1""")
                .params(checkpointsOk ? newest.map(LedgerCheckpoints.Signed::id).orElse(at.verifiedCheckpoint()) : at.verifiedCheckpoint(),
                        cycleEnds ? null : contacts.get(contacts.size() - 1),
                        cycleEnds ? 0 : cycleProblems, cycleEnds ? cycleProblems : at.lastCycleProblems(),
                        at.cycles() + (cycleEnds ? 1 : 0), OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC),
                        found.isEmpty() ? null : summary(found.get(0)))
                .update();
        if (found.isEmpty()) {
            clean.increment();
        } else {
            tampered.increment();
            log.error("LEDGER TAMPERING SUSPECTED: the scheduled verification found {} problem(s): {}", problems.count(),
                    found.stream().limit(20).map(LedgerWatch::summary).collect(Collectors.joining("; ")));
        }
        return found;
    }

    /** Kind, row and detail; the details name contacts by id and consent values only, never personal data. */
    private static String summary(LedgerVerification.Problem problem) {
        String where = problem.seq() == null ? "" : " at seq " + problem.seq();
        String text = problem.kind() + where + ": " + problem.detail();
        return text.length() > 1000 ? text.substring(0, 1000) : text;
    }

    @Transactional(readOnly = true)
    public Status status() {
        return jdbc.sql("""
                        select verified_checkpoint, cycle_problems + last_cycle_problems, cycles_completed, last_run_at, last_problem
                        from ledger_verification where id = 1""")
                .query((rs, n) -> {
                    OffsetDateTime last = rs.getObject(4, OffsetDateTime.class);
                    int open = rs.getInt(2);
                    return new Status(rs.getLong(1), open, rs.getLong(3), last == null ? null : last.toInstant(),
                            open == 0 ? null : rs.getString(5));
                })
                .single();
    }

    String healthStatus() {
        return settings.healthStatus();
    }
}
