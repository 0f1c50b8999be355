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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Verifies the ledger on a schedule, incrementally, so tampering is found without anyone calling
 * {@code /api/ledger/verify}: each run walks the chain from where the last run stopped (new events:
 * seq, link, hash) and re-checks a rotating slice of contacts in full — every one of their rows
 * re-hashed and replayed against their projection rows — so an edit anywhere, old rows and
 * hand-edited projection rows included, is found within one cycle over all contacts. Progress and
 * findings live in {@code ledger_verification} (one row, shared by the cluster); the run is leader-only
 * (route {@code ledger-verification}). A problem stays open, in the {@code ledger} health indicator and
 * the metric {@code consent_ledger_verification_open_problems}, until a whole cycle finds none.
 */
@Service
public class LedgerWatch {

    private static final Logger log = LoggerFactory.getLogger(LedgerWatch.class);

    /** What the runs so far found; {@code openProblems} counts the current and the last complete cycle. */
    public record Status(long verifiedSeq, int openProblems, long cyclesCompleted, Instant lastRunAt, String lastProblem) {
    }

    private record Checkpoint(long verifiedSeq, String verifiedHash, UUID cursor, int cycleProblems, int lastCycleProblems,
                              long cycles) {
    }

    private final LedgerStore store;
    private final JdbcClient jdbc;
    private final Clock clock;
    private final LedgerWatchSettings settings;
    private final Counter clean;
    private final Counter tampered;

    LedgerWatch(LedgerStore store, JdbcClient jdbc, Clock clock, LedgerWatchSettings settings, MeterRegistry meters) {
        this.store = store;
        this.jdbc = jdbc;
        this.clock = clock;
        this.settings = settings;
        this.clean = Counter.builder("consent_ledger_verification_runs").tag("outcome", "ok").register(meters);
        this.tampered = Counter.builder("consent_ledger_verification_runs").tag("outcome", "problems").register(meters);
        Gauge.builder("consent_ledger_verification_open_problems", this, watch -> watch.status().openProblems())
                .description("problems found by the scheduled ledger verification in the current or last complete cycle")
                .register(meters);
        Gauge.builder("consent_ledger_verified_seq", this, watch -> watch.status().verifiedSeq())
                .description("the ledger is verified up to this event").register(meters);
    }

    /** One run: the next stretch of chain and the next slice of contacts. Returns what this run found. */
    @Transactional(isolation = Isolation.REPEATABLE_READ)
    public List<LedgerVerification.Problem> verifyIncrementally() {
        Checkpoint at = jdbc.sql("""
                        select verified_seq, verified_hash, contact_cursor, cycle_problems, last_cycle_problems, cycles_completed
                        from ledger_verification where id = 1 for update""")
                .query((rs, n) -> new Checkpoint(rs.getLong(1), rs.getString(2), rs.getObject(3, UUID.class), rs.getInt(4),
                        rs.getInt(5), rs.getLong(6)))
                .single();
        var problems = new ArrayList<LedgerVerification.Problem>();

        List<StoredEvent> stretch = store.eventsAfter(at.verifiedSeq(), settings.chainBatch());
        long expectedSeq = at.verifiedSeq() + 1;
        String previousHash = at.verifiedHash();
        for (StoredEvent row : stretch) {
            LedgerChecks.checkLink(row, expectedSeq, previousHash, problems);
            expectedSeq = row.event().seq() + 1;
            previousHash = row.event().hash();
        }
        if (stretch.size() < settings.chainBatch()) {
            var head = store.head();
            if (head.lastSeq() != expectedSeq - 1 || !head.lastHash().equals(previousHash)) {
                problems.add(new LedgerVerification.Problem(null, null, "head-mismatch",
                        "the ledger head says the last event is seq " + head.lastSeq() + " but the chain ends at seq "
                                + (expectedSeq - 1) + ": rows at the end were deleted or the head was altered"));
            }
        }
        boolean chainOk = problems.isEmpty();

        List<UUID> contacts = store.contactsAfter(at.cursor(), settings.contactsPerRun());
        if (!contacts.isEmpty()) {
            var replayed = new HashMap<String, String>();
            for (StoredEvent row : store.eventsOf(contacts)) {
                LedgerChecks.checkHash(row, problems);
                LedgerChecks.replay(row, replayed);
            }
            store.stateOf(contacts).forEach(row -> LedgerChecks.compareProjection(row, replayed, problems));
            LedgerChecks.missingFromProjection(replayed, problems);
        }
        boolean cycleEnds = contacts.size() < settings.contactsPerRun();
        int cycleProblems = at.cycleProblems() + problems.size();

        jdbc.sql("""
                        update ledger_verification set verified_seq = ?, verified_hash = ?, contact_cursor = ?, cycle_problems = ?,
                        last_cycle_problems = ?, cycles_completed = ?, last_run_at = ?, last_problem = coalesce(?, last_problem)
                        where id = 1""")
                .params(chainOk ? expectedSeq - 1 : at.verifiedSeq(), chainOk ? previousHash : at.verifiedHash(),
                        cycleEnds ? null : contacts.get(contacts.size() - 1),
                        cycleEnds ? 0 : cycleProblems, cycleEnds ? cycleProblems : at.lastCycleProblems(),
                        at.cycles() + (cycleEnds ? 1 : 0), OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC),
                        problems.isEmpty() ? null : summary(problems.get(0)))
                .update();
        if (problems.isEmpty()) {
            clean.increment();
        } else {
            tampered.increment();
            log.error("LEDGER TAMPERING SUSPECTED: the scheduled verification found {} problem(s): {}", problems.size(),
                    problems.stream().limit(20).map(LedgerWatch::summary).collect(Collectors.joining("; ")));
        }
        return problems;
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
                        select verified_seq, cycle_problems + last_cycle_problems, cycles_completed, last_run_at, last_problem
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
