package io.consenthub.bench;

import io.consenthub.consent.ActorKind;
import io.consenthub.consent.ConsentChange;
import io.consenthub.consent.ConsentLedger;
import io.consenthub.consent.EventType;
import io.consenthub.consent.Evidence;
import io.consenthub.consent.LedgerCheckpoints;
import io.consenthub.consent.LedgerVerification;
import io.consenthub.contact.Attributes;
import io.consenthub.contact.Contact;
import io.consenthub.contact.ContactDirectory;
import io.consenthub.contact.ContactId;
import io.consenthub.contact.EmailAddress;
import io.consenthub.support.HubTest;
import io.consenthub.support.PostgresTestDatabase;
import io.consenthub.support.RequiresPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Benchmark, not a test (run only by {@code mvn -Pbench test}): verification at scale on PostgreSQL.
 * Writes {@code bench.verify-events} events (default 1 000 000, ten per contact) with batched appends,
 * seals a checkpoint, then times a full verification (events per second, with the heap in use around
 * it to show it stays flat) and the verification of single contacts (milliseconds each), and the
 * sealing of a checkpoint over all chains. The baseline is a plain read of every event row, the
 * least any full verification must do, in the same run.
 */
@ExtendWith(RequiresPostgres.class)
@HubTest
@TestPropertySource(properties = {
        "consent-hub.ledger.verification.enabled=false",
        "consent-hub.ledger.checkpoint.enabled=false"})
class LedgerVerifyBenchmark {

    private static final int EVENTS = Integer.getInteger("bench.verify-events", 1_000_000);
    private static final int PER_CONTACT = 10;
    private static final int BATCH = 1_000;

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.register(registry, "consent_hub_verify_bench");
    }

    @Autowired
    ConsentLedger ledger;
    @Autowired
    LedgerCheckpoints checkpoints;
    @Autowired
    ContactDirectory contacts;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    org.springframework.jdbc.core.JdbcTemplate db;

    @Test
    void fullVerificationOfAMillionEventsAndOneContactAtATime() throws IOException {
        long writeStart = System.nanoTime();
        var ids = new ArrayList<ContactId>();
        for (int made = 0; made < EVENTS / PER_CONTACT; made += BATCH) {
            var batch = new ArrayList<ContactDirectory.NewContact>();
            for (int i = 0; i < BATCH; i++) {
                batch.add(new ContactDirectory.NewContact(new EmailAddress("v-" + UUID.randomUUID() + "@example.org"), Attributes.empty(),
                        List.of()));
            }
            List<Contact> created = tx.execute(s -> contacts.createAll(batch));
            created.forEach(c -> ids.add(c.id()));
            for (int round = 0; round < PER_CONTACT; round++) {
                boolean grant = round % 2 == 0;
                var changes = created.stream().map(c -> new ConsentChange(c.id(), grant ? EventType.CONSENT_GRANTED : EventType.CONSENT_REVOKED,
                        "newsletter", grant ? "GRANTED" : "REVOKED", null,
                        new Evidence(ActorKind.CRM, "bench", "crm", Instant.now(), null, null, null, null))).toList();
                tx.executeWithoutResult(s -> ledger.appendAll(changes));
            }
        }
        double writeSeconds = (System.nanoTime() - writeStart) / 1e9;

        long sealStart = System.nanoTime();
        tx.execute(s -> checkpoints.sealNow());
        double sealSeconds = (System.nanoTime() - sealStart) / 1e9;

        long readStart = System.nanoTime();
        long[] read = new long[1];
        db.setFetchSize(1000);
        db.query("select * from consent_event order by contact_id, contact_seq", rs -> {
            read[0]++;
        });
        double readSeconds = (System.nanoTime() - readStart) / 1e9;

        System.gc();
        long heapBefore = oldGeneration();
        ManagementFactory.getMemoryPoolMXBeans().forEach(java.lang.management.MemoryPoolMXBean::resetPeakUsage);
        long verifyStart = System.nanoTime();
        LedgerVerification full = ledger.verify();
        double verifySeconds = (System.nanoTime() - verifyStart) / 1e9;
        long heapAfter = oldGenerationPeak();
        if (!full.ok()) {
            throw new IllegalStateException("the benchmark's ledger does not verify: " + full.problems());
        }

        double[] oneContactMs = new double[1_000];
        for (int i = 0; i < oneContactMs.length; i++) {
            ContactId id = ids.get((int) ((i * 7919L) % ids.size()));
            long start = System.nanoTime();
            ledger.verify(id);
            oneContactMs[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(oneContactMs);

        String report = """
                ledger verification at scale (PostgreSQL, %d events of %d contacts)
                  written with batched appends in %.0f s (%.0f events/s)
                  sealing one checkpoint over all %d chains: %.2f s
                  baseline, a plain read of every event row in chain order: %.1f s (%.0f rows/s)
                  full verification: %.1f s (%.0f events/s, %.2fx the plain read), %d contacts, checkpoint %d
                  old generation of the heap: %d MiB in use before (after a GC), at most %d MiB during the verification
                  one contact (%d events): p50 %.2f ms, p99 %.2f ms over %d contacts
                  machine: %s
                """.formatted(full.eventsChecked(), full.contactsChecked(), writeSeconds, EVENTS / writeSeconds, ids.size(), sealSeconds,
                readSeconds, read[0] / readSeconds, verifySeconds, full.eventsChecked() / verifySeconds, readSeconds / verifySeconds,
                full.contactsChecked(), full.checkpoint(), heapBefore, heapAfter, PER_CONTACT, oneContactMs[oneContactMs.length / 2],
                oneContactMs[oneContactMs.length * 99 / 100], oneContactMs.length, Machine.describe());
        System.out.println(report);
        Path out = Path.of("target", "bench", "ledger-verify.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
    }

    private static long oldGeneration() {
        return oldPool().getUsage().getUsed() / (1024 * 1024);
    }

    private static long oldGenerationPeak() {
        return oldPool().getPeakUsage().getUsed() / (1024 * 1024);
    }

    /** The pool long-lived objects end up in (G1 Old Gen, or the tenured pool of another collector). */
    private static java.lang.management.MemoryPoolMXBean oldPool() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getName().contains("Old Gen") || p.getName().contains("Tenured"))
                .findFirst().orElseThrow();
    }
}
