package io.consenthub.retention;

import com.fasterxml.jackson.databind.JsonNode;
import io.consenthub.support.ApiClient;
import io.consenthub.support.HubTest;
import io.consenthub.support.PostgresTestDatabase;
import io.consenthub.support.RequiresPostgres;
import io.consenthub.support.TestKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Retention that acts (consent-hub.retention.action anonymise) on PostgreSQL: the retention route
 * hands a contact who granted nothing and did nothing for the period (three seconds here) to the
 * erasure job, which anonymises the hub's copy only and proves it; the action is recorded with
 * its rule, the consent reports keep every count, the ledger verifies, and contacts with a consent
 * or an opt-in are left alone.
 */
@ExtendWith(RequiresPostgres.class)
@HubTest
@TestPropertySource(properties = {
        "consent-hub.retention.inactive-for=PT3S",
        "consent-hub.retention.action=anonymise",
        "consent-hub.retention.period=300",
        "consent-hub.retention.delay=0",
        "consent-hub.erasure.period=200"
})
class RetentionAnonymisesOnPostgresTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate db;

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.register(registry, "consent_hub_retention_anonymise_test");
    }

    private Long jobs(String contact) {
        return db.queryForObject("select count(*) from erasure_job where contact_id = ?", Long.class, UUID.fromString(contact));
    }

    @Test
    void anIdleContactWhoGrantedNothingIsAnonymisedByTheErasureJobAndTheReportsKeepTheirCounts() {
        var api = new ApiClient(port);
        String granted = RetentionReviewContract.create(api, "retained-granted");
        assertThat(api.post("/api/contacts/" + granted + "/consents", TestKeys.USER,
                ApiClient.json(Map.of("purpose", "newsletter", "granted", true))).status()).isEqualTo(200);
        String optedIn = RetentionReviewContract.create(api, "retained-opted-in");
        assertThat(api.post("/api/contacts/" + optedIn + "/opt-in-actions", TestKeys.USER,
                ApiClient.json(Map.of("action", "SET_SINGLE_OPT_IN_USER"))).status()).isEqualTo(200);
        String idle = RetentionReviewContract.create(api, "idle-anonymised");
        JsonNode before = api.get("/api/reports/consents", TestKeys.USER).json();

        await().atMost(Duration.ofSeconds(60)).until(() -> "DONE".equals(db.query(
                "select state from erasure_job where contact_id = ?", rs -> rs.next() ? rs.getString(1) : null, UUID.fromString(idle))));

        String job = db.queryForObject("select id from erasure_job where contact_id = ?", UUID.class, UUID.fromString(idle)).toString();
        JsonNode progress = api.get("/api/erasure-requests/" + job, TestKeys.ADMIN).json();
        assertThat(progress.get("requestedBy").asText()).isEqualTo("retention");
        JsonNode certificate = progress.get("certificate");
        assertThat(certificate.get("scan").get("clean").asBoolean()).as(certificate.toString()).isTrue();
        assertThat(certificate.get("ledgerVerifies").asBoolean()).isTrue();
        assertThat(certificate.toString()).contains("NOT_ASKED");
        assertThat(db.queryForObject("select rule from retention_action where contact_id = ? and action = 'ANONYMISE'",
                String.class, UUID.fromString(idle))).isEqualTo("no-consent-no-activity");
        assertThat(api.get("/api/contacts/" + idle, TestKeys.USER).json().get("email").asText()).doesNotContain("idle-anonymised");

        JsonNode after = api.get("/api/reports/consents", TestKeys.USER).json();
        assertThat(after).as("anonymisation keeps every count").isEqualTo(before);
        assertThat(api.get("/api/ledger/verify", TestKeys.ADMIN).json().get("ok").asBoolean()).isTrue();
        assertThat(jobs(granted)).as("a granted consent keeps the data").isZero();
        assertThat(jobs(optedIn)).as("an email opt-in keeps the data").isZero();
    }
}
