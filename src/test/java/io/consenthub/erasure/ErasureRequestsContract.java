package io.consenthub.erasure;

import com.fasterxml.jackson.databind.JsonNode;
import io.consenthub.consent.ActorKind;
import io.consenthub.consent.ConsentRecords;
import io.consenthub.consent.Evidence;
import io.consenthub.contact.Attributes;
import io.consenthub.contact.ContactDirectory;
import io.consenthub.contact.ContactId;
import io.consenthub.contact.EmailAddress;
import io.consenthub.support.ApiClient;
import io.consenthub.support.TestKeys;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/erasure-requests}: the contacts whose confirmed erasure request stands, oldest
 * first, with the deadline of GDPR Art. 12(3); a request taken back is no longer listed; one older
 * than a month is overdue and shows in the metrics. Run per store by the subclasses.
 */
abstract class ErasureRequestsContract {

    @LocalServerPort
    int port;
    @Autowired
    ContactDirectory contacts;
    @Autowired
    ConsentRecords consents;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    JdbcTemplate db;
    @Autowired
    MeterRegistry meters;

    private ContactId contact() {
        return tx.execute(s -> contacts.create(new EmailAddress("erase-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org"),
                new Attributes(java.util.Map.of()), List.of()).id());
    }

    private void asksErasure(ContactId contact, boolean granted) {
        tx.executeWithoutResult(s -> {
            contacts.lock(contact);
            consents.record(contact, "erasure", granted, new Evidence(ActorKind.CONTACT, null, "preference-page", Instant.now(),
                    "198.51.100.7", "Browser/1.0", "proof-" + UUID.randomUUID(), null));
        });
    }

    @Test
    void openRequestsAreListedOldestFirstWithTheirDeadlineAndAnOverdueOneShowsInTheMetrics() {
        ContactId old = contact();
        ContactId recent = contact();
        ContactId changedMind = contact();
        ContactId never = contact();
        asksErasure(old, true);
        asksErasure(recent, true);
        asksErasure(changedMind, true);
        asksErasure(changedMind, false);
        Instant fortyDaysAgo = Instant.now().minus(40, ChronoUnit.DAYS);
        // as if the request had been confirmed forty days ago
        db.update("update consent_state set updated_at = ? where contact_id = ? and subject = 'erasure'",
                Timestamp.from(fortyDaysAgo), old.value());

        var api = new ApiClient(port);
        assertThat(api.get("/api/erasure-requests", TestKeys.USER).status()).isEqualTo(403);
        JsonNode answer = api.get("/api/erasure-requests", TestKeys.ADMIN).json();

        assertThat(answer.get("open").asInt()).isEqualTo(2);
        assertThat(answer.get("overdue").asInt()).isEqualTo(1);
        List<JsonNode> requests = StreamSupport.stream(answer.get("requests").spliterator(), false).toList();
        assertThat(requests).extracting(r -> r.get("contactId").asText())
                .containsExactly(old.value().toString(), recent.value().toString())
                .doesNotContain(changedMind.value().toString(), never.value().toString());
        JsonNode oldest = requests.get(0);
        Instant requestedAt = Instant.parse(oldest.get("requestedAt").asText());
        assertThat(Duration.between(requestedAt, fortyDaysAgo).abs()).isLessThan(Duration.ofSeconds(1));
        assertThat(Instant.parse(oldest.get("deadline").asText())).isEqualTo(ErasureDeadlines.deadline(requestedAt, ZoneId.of("UTC")));
        assertThat(oldest.get("overdue").asBoolean()).isTrue();
        assertThat(oldest.get("ageDays").asInt()).isEqualTo(40);
        assertThat(oldest.get("daysLeft").asInt()).isZero();
        JsonNode newest = requests.get(1);
        assertThat(newest.get("overdue").asBoolean()).isFalse();
        assertThat(newest.get("daysLeft").asInt()).isBetween(28, 32);
        assertThat(newest.get("eventSeq").asLong()).isPositive();

        assertThat(meters.get("consent_hub.erasure.requests.open").gauge().value()).isEqualTo(2);
        assertThat(meters.get("consent_hub.erasure.requests.overdue").gauge().value()).isEqualTo(1);
        assertThat(meters.get("consent_hub.erasure.requests.oldest.age").gauge().value()).isGreaterThan(Duration.ofDays(39).toSeconds());
    }
}
