package io.consenthub.bench;

import io.consenthub.consent.ActorKind;
import io.consenthub.consent.ConsentChange;
import io.consenthub.consent.ConsentLedger;
import io.consenthub.consent.EventType;
import io.consenthub.consent.Evidence;
import io.consenthub.contact.Attributes;
import io.consenthub.contact.ContactDirectory;
import io.consenthub.contact.ContactId;
import io.consenthub.contact.EmailAddress;
import io.consenthub.support.HubTest;
import io.consenthub.support.PostgresTestDatabase;
import io.consenthub.support.RequiresPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Benchmark, not a test (run only by {@code mvn -Pbench test}): consent ledger appends with 1, 4 and
 * 16 concurrent writers, one event per transaction, each writer on contacts of its own, on
 * PostgreSQL, against two baselines measured in the same run with the same concurrency:
 * <ul>
 *   <li>plain: an {@code insert} of the same row into a table with only a primary key, one per
 *       transaction — what any store pays;</li>
 *   <li>statements: the SQL of a ledger append on a locked head (lock the contact's chain head with
 *       the next number, insert the event, move the head, update the projection) with constant values,
 *       no Java and no listeners around it, into tables with only primary keys;</li>
 *   <li>single lock: the same ledger append with every transaction first taking one global row lock,
 *       as every append did before the ledger had one chain per contact.</li>
 * </ul>
 * Reports events per second and the ratios, medians of {@code ROUNDS} rounds, and the CPU time per
 * event of this JVM and of the PostgreSQL server ({@link Cpu}).
 */
@ExtendWith(RequiresPostgres.class)
@HubTest
@TestPropertySource(properties = {
        "spring.datasource.hikari.maximum-pool-size=24",
        "consent-hub.ledger.verification.enabled=false"})
class LedgerAppendBenchmark {

    private static final int[] WRITERS = {1, 4, 16};
    private static final int CONTACTS_PER_WRITER = 50;
    private static final int EVENTS_PER_RUN = Integer.getInteger("bench.events", 6_000);
    private static final int ROUNDS = 3;

    private enum Variant { PLAIN, STATEMENTS, SINGLE_LOCK, LEDGER }

    /** Per variant: CPU time of this JVM and of the PostgreSQL server (ns), and the events written, over the measured runs. */
    private final long[][] cpu = new long[Variant.values().length][3];

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.register(registry, "consent_hub_bench");
    }

    @Autowired
    ConsentLedger ledger;
    @Autowired
    ContactDirectory contacts;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    JdbcTemplate db;

    @Test
    void ledgerAppendsWithConcurrentWritersAgainstPlainInsertsAndASingleLock() throws Exception {
        db.execute("create table bench_plain_event as select * from consent_event where 1 = 0");
        db.execute("alter table bench_plain_event add primary key (seq)");
        db.execute("create sequence bench_plain_seq");
        db.execute("create table bench_global_lock (id integer primary key)");
        db.execute("insert into bench_global_lock values (1)");
        db.execute("create table bench_statements_chain (contact_id uuid primary key, last_seq bigint not null)");
        db.execute("create table bench_statements_state (contact_id uuid primary key, state_value varchar(64))");
        int max = Arrays.stream(WRITERS).max().orElseThrow();
        List<List<ContactId>> byWriter = new ArrayList<>();
        for (int w = 0; w < max; w++) {
            var own = new ArrayList<ContactId>();
            for (int i = 0; i < CONTACTS_PER_WRITER; i++) {
                own.add(tx.execute(s -> contacts.create(new EmailAddress("bench-" + UUID.randomUUID() + "@example.org"),
                        Attributes.empty(), List.of()).id()));
            }
            byWriter.add(own);
            for (ContactId id : own) {
                db.update("insert into bench_statements_chain values (?, 0)", id.value());
                db.update("insert into bench_statements_state values (?, 'GRANTED')", id.value());
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(max);
        try {
            for (Variant v : Variant.values()) {
                run(pool, byWriter, 4, EVENTS_PER_RUN, v);
            }
            var report = new StringBuilder("""
                    ledger appends with concurrent writers (PostgreSQL, one event per transaction, %d events per run, median of %d rounds)
                    """.formatted(EVENTS_PER_RUN, ROUNDS));
            for (int writers : WRITERS) {
                double[][] rates = new double[Variant.values().length][ROUNDS];
                for (long[] c : cpu) {
                    Arrays.fill(c, 0);
                }
                for (int r = 0; r < ROUNDS; r++) {
                    for (Variant v : Variant.values()) {
                        rates[v.ordinal()][r] = run(pool, byWriter, writers, EVENTS_PER_RUN, v);
                    }
                }
                double plain = median(rates[Variant.PLAIN.ordinal()]);
                double statements = median(rates[Variant.STATEMENTS.ordinal()]);
                double single = median(rates[Variant.SINGLE_LOCK.ordinal()]);
                double chained = median(rates[Variant.LEDGER.ordinal()]);
                report.append("""
                          %2d writers: plain insert %6.0f rows/s | statements alone %6.0f/s | single-lock append %6.0f events/s \
                        | ledger append %6.0f events/s | ledger/plain %.2f | ledger/statements %.2f | ledger/single-lock %.2f
                        """.formatted(writers, plain, statements, single, chained, chained / plain, chained / statements, chained / single));
                report.append("              CPU µs per event (this JVM / PostgreSQL server):");
                for (Variant v : Variant.values()) {
                    long[] c = cpu[v.ordinal()];
                    report.append(" %s %.0f / %.0f".formatted(v.name().toLowerCase(java.util.Locale.ROOT), c[0] / 1e3 / c[2], c[1] / 1e3 / c[2]));
                }
                report.append('\n');
            }
            report.append("  machine: ").append(Machine.describe()).append('\n');
            System.out.println(report);
            Path out = Path.of("target", "bench", "ledger-append.txt");
            Files.createDirectories(out.getParent());
            Files.writeString(out, report);
        } finally {
            pool.shutdownNow();
        }
    }

    /** {@code count} events over {@code writers} threads, each on its own contacts; events (or rows) per second. */
    private double run(ExecutorService pool, List<List<ContactId>> byWriter, int writers, int count, Variant variant) throws Exception {
        int each = count / writers;
        var work = new ArrayList<Callable<Integer>>();
        for (int w = 0; w < writers; w++) {
            List<ContactId> own = byWriter.get(w);
            work.add(() -> {
                for (int i = 0; i < each; i++) {
                    write(own.get(i % own.size()), i, variant);
                }
                return each;
            });
        }
        long start = System.nanoTime();
        long jvm = Cpu.jvmNanos();
        long pg = Cpu.postgresNanos();
        for (Future<Integer> done : pool.invokeAll(work)) {
            done.get();
        }
        double rate = (double) each * writers / ((System.nanoTime() - start) / 1e9);
        cpu[variant.ordinal()][0] += Cpu.jvmNanos() - jvm;
        cpu[variant.ordinal()][1] += Cpu.postgresNanos() - pg;
        cpu[variant.ordinal()][2] += (long) each * writers;
        return rate;
    }

    private void write(ContactId id, int i, Variant variant) {
        var evidence = new Evidence(ActorKind.USER, "bench", "api", Instant.now(), "127.0.0.1", "bench", null, null);
        String value = i % 2 == 0 ? "GRANTED" : "REVOKED";
        var change = new ConsentChange(id, value.equals("GRANTED") ? EventType.CONSENT_GRANTED : EventType.CONSENT_REVOKED,
                "newsletter", value, null, evidence);
        switch (variant) {
            case PLAIN -> tx.executeWithoutResult(s -> db.update("""
                    insert into bench_plain_event (seq, event_id, contact_id, event_type, subject, new_value, previous_value,
                      actor_kind, actor_id, channel, occurred_at, ip, user_agent, proof_id, note, prev_hash, hash, contact_seq)
                    values (nextval('bench_plain_seq'), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    UUID.randomUUID(), id.value(), change.type().name(), "newsletter", value, null,
                    "USER", "bench", "api", Timestamp.from(evidence.occurredAt()), "127.0.0.1", "bench", null, null,
                    "0".repeat(64), "0".repeat(64), i));
            case STATEMENTS -> tx.executeWithoutResult(s -> {
                long seq = db.queryForObject("select nextval('bench_plain_seq') from bench_statements_chain where contact_id = ? for update",
                        Long.class, id.value());
                db.update("""
                        insert into bench_plain_event (seq, event_id, contact_id, event_type, subject, new_value, previous_value,
                          actor_kind, actor_id, channel, occurred_at, ip, user_agent, proof_id, note, prev_hash, hash, contact_seq)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                        seq, UUID.randomUUID(), id.value(), change.type().name(), "newsletter", value, null,
                        "USER", "bench", "api", Timestamp.from(evidence.occurredAt()), "127.0.0.1", "bench", null, null,
                        "0".repeat(64), "0".repeat(64), i);
                db.update("update bench_statements_chain set last_seq = ? where contact_id = ?", seq, id.value());
                db.update("update bench_statements_state set state_value = ? where contact_id = ?", value, id.value());
            });
            case SINGLE_LOCK -> tx.executeWithoutResult(s -> {
                db.queryForObject("select id from bench_global_lock where id = 1 for update", Integer.class);
                ledger.append(change);
            });
            case LEDGER -> tx.executeWithoutResult(s -> ledger.append(change));
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
