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
import io.consenthub.support.StatementLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Benchmark companion, not a test (run only by {@code mvn -Pbench test}): the statements one
 * consent-ledger append really sends on PostgreSQL, listeners before commit included, for a
 * contact whose chain and key exist (the common case {@link LedgerAppendBenchmark} measures).
 */
@ExtendWith(RequiresPostgres.class)
@HubTest
@Import(StatementLog.class)
@TestPropertySource(properties = "consent-hub.ledger.verification.enabled=false")
class LedgerStatementsBenchmark {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.register(registry, "consent_hub_bench_statements");
    }

    @Autowired
    ConsentLedger ledger;
    @Autowired
    ContactDirectory contacts;
    @Autowired
    TransactionTemplate tx;

    @Test
    void statementsOfOneAppend() {
        ContactId id = tx.execute(s -> contacts.create(new EmailAddress("bench-" + UUID.randomUUID() + "@example.org"),
                Attributes.empty(), List.of()).id());
        for (int i = 0; i < 3; i++) {
            append(id, i);
        }
        List<String> sent = StatementLog.recording(() -> append(id, 3));
        var report = new StringBuilder("statements of one ledger append (contact with chain and key, PostgreSQL): "
                + sent.size() + "\n");
        sent.forEach(s -> report.append("  ").append(s.length() > 300 ? s.substring(0, 300) + "…" : s).append('\n'));
        System.out.println(report);
    }

    private void append(ContactId id, int i) {
        var evidence = new Evidence(ActorKind.USER, "bench", "api", Instant.now(), "127.0.0.1", "bench", null, null);
        String value = i % 2 == 0 ? "GRANTED" : "REVOKED";
        tx.executeWithoutResult(s -> ledger.append(new ConsentChange(id,
                value.equals("GRANTED") ? EventType.CONSENT_GRANTED : EventType.CONSENT_REVOKED, "newsletter", value, null, evidence)));
    }
}
