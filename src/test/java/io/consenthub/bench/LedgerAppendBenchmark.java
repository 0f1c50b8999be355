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

/**
 * Benchmark, not a test (run only by {@code mvn -Pbench test}): the cost of a consent ledger
 * append — head lock, SHA-256 chain, projection — against the baseline of a plain insert of the
 * same row in its own transaction, both on PostgreSQL in the same run. Reports the ratio.
 */
@ExtendWith(RequiresPostgres.class)
@HubTest
class LedgerAppendBenchmark {

    private static final int WARMUP = 2_000;
    private static final int MEASURED = 5_000;
    private static final int ROUNDS = 3;

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
    void ledgerAppendAgainstPlainInsert() throws IOException {
        db.execute("create table bench_plain_event as select * from consent_event where 1 = 0");
        List<ContactId> ids = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            ids.add(tx.execute(s -> contacts.create(new EmailAddress("bench-" + UUID.randomUUID() + "@example.org"),
                    Attributes.empty(), List.of()).id()));
        }
        run(ids, WARMUP, true);
        run(ids, WARMUP, false);
        double[] ratios = new double[ROUNDS];
        double[] plainRates = new double[ROUNDS];
        double[] ledgerRates = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            plainRates[r] = run(ids, MEASURED, true);
            ledgerRates[r] = run(ids, MEASURED, false);
            ratios[r] = ledgerRates[r] / plainRates[r];
        }
        Arrays.sort(ratios);
        Arrays.sort(plainRates);
        Arrays.sort(ledgerRates);
        String report = """
                ledger append vs plain insert (PostgreSQL, one row per transaction, %d rows x %d rounds)
                  plain insert:  %.0f rows/s (median)
                  ledger append: %.0f events/s (median)
                  ratio ledger/plain: %.2f (median; min %.2f, max %.2f)
                  machine: %s
                """.formatted(MEASURED, ROUNDS, plainRates[ROUNDS / 2], ledgerRates[ROUNDS / 2],
                ratios[ROUNDS / 2], ratios[0], ratios[ROUNDS - 1], Machine.describe());
        System.out.println(report);
        Path out = Path.of("target", "bench", "ledger-append.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
    }

    private double run(List<ContactId> ids, int count, boolean plain) {
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            ContactId id = ids.get(i % ids.size());
            var evidence = new Evidence(ActorKind.USER, "bench", "api", Instant.now(), "127.0.0.1", "bench", null, null);
            String value = i % 2 == 0 ? "GRANTED" : "REVOKED";
            if (plain) {
                long seq = i;
                tx.executeWithoutResult(s -> db.update("""
                        insert into bench_plain_event (seq, event_id, contact_id, event_type, subject, new_value, previous_value,
                          actor_kind, actor_id, channel, occurred_at, ip, user_agent, proof_id, note, prev_hash, hash)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                        seq + System.nanoTime(), UUID.randomUUID(), id.value(), "CONSENT_GRANTED", "newsletter", value, null,
                        "USER", "bench", "api", Timestamp.from(evidence.occurredAt()), "127.0.0.1", "bench", null, null,
                        "0".repeat(64), "0".repeat(64)));
            } else {
                tx.executeWithoutResult(s -> ledger.append(new ConsentChange(id,
                        value.equals("GRANTED") ? EventType.CONSENT_GRANTED : EventType.CONSENT_REVOKED,
                        "newsletter", value, null, evidence)));
            }
        }
        return count / ((System.nanoTime() - start) / 1e9);
    }
}
