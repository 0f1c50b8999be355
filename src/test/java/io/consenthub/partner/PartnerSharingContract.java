package io.consenthub.partner;

import com.fasterxml.jackson.databind.JsonNode;
import io.consenthub.contact.ContactId;
import io.consenthub.outbox.NewOutboxMessage;
import io.consenthub.outbox.Outbox;
import io.consenthub.support.ApiClient;
import io.consenthub.support.PartnerStandIn;
import io.consenthub.support.TestKeys;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Partner sharing end to end against a partner stand-in on loopback: a confirmed consent shares the
 * contact at once with only the partner's attributes, signed; a revocation sends a signed notice
 * that must be acknowledged, and no later share of that contact leaves until it is; a share
 * enqueued before a revocation is cancelled, never sent. Run per store by the subclasses.
 */
abstract class PartnerSharingContract {

    static final PartnerStandIn PARTNER = new PartnerStandIn();

    static void partner(DynamicPropertyRegistry registry) {
        registry.add("consent-hub.partner-sharing.partners.acme.url", PARTNER::url);
        registry.add("consent-hub.partner-sharing.partners.acme.signing.secret", () -> PartnerStandIn.SECRET);
        registry.add("consent-hub.partner-sharing.partners.acme.retry.initial-backoff", () -> "100ms");
        registry.add("consent-hub.partner-sharing.partners.acme.retry.max-backoff", () -> "300ms");
        registry.add("consent-hub.partner-sharing.partners.acme.circuit.failures", () -> "1000");
    }

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate db;
    @Autowired
    CamelContext camel;
    @Autowired
    Outbox outbox;
    @Autowired
    TransactionTemplate tx;

    @AfterEach
    void partnerUpAgain() {
        PARTNER.mode(PartnerStandIn.Mode.UP);
    }

    private ApiClient api() {
        return new ApiClient(port);
    }

    private String create(Map<String, String> attributes) {
        var answer = api().post("/api/contacts", TestKeys.USER, ApiClient.json(Map.of(
                "email", "p-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org", "attributes", attributes)));
        assertThat(answer.status()).as(answer.text()).isEqualTo(201);
        return answer.json().get("id").asText();
    }

    private void answer(String contact, boolean granted) {
        var answer = api().post("/api/contacts/" + contact + "/consents", TestKeys.USER,
                ApiClient.json(Map.of("purpose", "share-with-partner-acme", "granted", granted)));
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    }

    private ApiClient.Answer share(String contact) {
        return api().post("/api/partners/acme/shares", TestKeys.USER, ApiClient.json(Map.of("contactId", contact)));
    }

    private String status(String messageId) {
        return db.queryForObject("select status from outbox where message_id = ?", String.class, messageId);
    }

    @Test
    void aConsentToThePartnerSharesTheContactAtOnceWithOnlyItsAttributesSigned() {
        String contact = create(Map.of("firstName", "Ada", "country", "Sweden", "salesStage", "lead", "nationalId", "19121210-1714"));
        answer(contact, true);

        await().atMost(Duration.ofSeconds(15)).until(() -> !PARTNER.received("contact.shared", contact).isEmpty());
        JsonNode data = PARTNER.received("contact.shared", contact).get(0).data();
        assertThat(data.get("attributes").fieldNames()).toIterable().containsExactlyInAnyOrder("email", "firstName", "country", "language");
        assertThat(data.get("authorizedBy").get("purpose").asText()).isEqualTo("share-with-partner-acme");
        assertThat(data.get("authorizedBy").get("consentEventSeq").asLong()).isPositive();
        assertThat(PARTNER.badSignatures()).isEmpty();

        JsonNode disclosures = api().get("/api/contacts/" + contact + "/disclosures", TestKeys.USER).json();
        assertThat(disclosures.get("shares")).hasSize(1);
        assertThat(disclosures.get("shares").get(0).get("status").asText()).isEqualTo("DELIVERED");
        assertThat(disclosures.get("shares").get(0).get("attributes").toString()).contains("firstName").doesNotContain("nationalId");
    }

    @Test
    void aRevocationIsNoticedToThePartnerAndNoLaterShareLeavesUntilItIsAcknowledged() {
        String contact = create(Map.of("firstName", "Bo"));
        answer(contact, true);
        await().atMost(Duration.ofSeconds(15)).until(() -> !PARTNER.received("contact.shared", contact).isEmpty());

        PARTNER.mode(PartnerStandIn.Mode.NO_ECHO);
        answer(contact, false);
        await().atMost(Duration.ofSeconds(15)).until(() -> api().get("/api/partners/acme/status", TestKeys.ADMIN).json()
                .get("revocationNotices").get("failing").asLong() > 0);
        JsonNode failing = api().get("/api/partners/acme/status", TestKeys.ADMIN).json();
        assertThat(failing.get("revocationNotices").get("lastError").asText()).contains("does not echo the notice id");

        answer(contact, true);
        await().atMost(Duration.ofSeconds(15)).until(() -> db.queryForObject(
                "select count(*) from outbox where kind = 'partner-share' and contact_id = ? and last_error like 'waiting%'",
                Long.class, UUID.fromString(contact)) > 0);
        assertThat(PARTNER.received("contact.shared", contact)).hasSize(1);

        PARTNER.mode(PartnerStandIn.Mode.UP);
        await().atMost(Duration.ofSeconds(15)).until(() -> PARTNER.received("contact.shared", contact).size() == 2);
        List<PartnerStandIn.Received> notices = PARTNER.received("consent.revoked", contact);
        assertThat(notices).hasSize(1);
        assertThat(notices.get(0).order()).isLessThan(PARTNER.received("contact.shared", contact).get(1).order());
        assertThat(notices.get(0).data().get("reason").asText()).isEqualTo("partner-sharing-not-consented");

        JsonNode disclosures = api().get("/api/contacts/" + contact + "/disclosures", TestKeys.USER).json();
        assertThat(disclosures.get("revocationNotices")).hasSize(1);
        assertThat(disclosures.get("revocationNotices").get(0).get("acknowledgedAt").isNull()).isFalse();
        assertThat(disclosures.get("shares")).hasSize(2);
    }

    @Test
    void aShareEnqueuedBeforeARevocationIsCancelledAndNeverSent() throws Exception {
        String contact = create(Map.of("firstName", "Cy"));
        camel.getRouteController().stopRoute("partner-outbox-poller");
        try {
            answer(contact, true);
            await().atMost(Duration.ofSeconds(15)).until(() -> db.queryForObject(
                    "select count(*) from outbox where kind = 'partner-share' and contact_id = ?", Long.class, UUID.fromString(contact)) == 1);
            answer(contact, false);
        } finally {
            camel.getRouteController().startRoute("partner-outbox-poller");
        }
        assertThat(db.queryForObject("select status from outbox where kind = 'partner-share' and contact_id = ?", String.class,
                UUID.fromString(contact))).isEqualTo("CANCELLED");
        assertThat(db.queryForObject("select count(*) from outbox where kind = 'partner-notice' and contact_id = ?", Long.class,
                UUID.fromString(contact))).isZero();
        var refused = share(contact);
        assertThat(refused.status()).as(refused.text()).isEqualTo(409);
        assertThat(refused.text()).contains("partner-sharing-not-consented");
        assertThat(PARTNER.received("contact.shared", contact)).isEmpty();
    }

    @Test
    void aShareAskedThroughTheApiIsDecidedAndAnUnknownPartnerOrContactIsA404() {
        String contact = create(Map.of("firstName", "Di"));
        assertThat(share(contact).status()).isEqualTo(409);
        answer(contact, true);
        await().atMost(Duration.ofSeconds(15)).until(() -> !PARTNER.received("contact.shared", contact).isEmpty());
        // the first share's outcome commits just after the partner's answer
        await().atMost(Duration.ofSeconds(15)).until(() -> unfinishedShares(contact) == 0);
        var again = share(contact);
        assertThat(again.status()).as(again.text()).isEqualTo(202);
        assertThat(again.json().get("outcome").asText()).isEqualTo("ENQUEUED");
        await().atMost(Duration.ofSeconds(15)).until(() -> status(again.json().get("shareId").asText()).equals("DELIVERED"));
        assertThat(api().post("/api/partners/globex/shares", TestKeys.USER, ApiClient.json(Map.of("contactId", contact))).status())
                .isEqualTo(404);
        assertThat(api().post("/api/partners/acme/shares", TestKeys.USER,
                ApiClient.json(Map.of("contactId", UUID.randomUUID().toString()))).status()).isEqualTo(404);
        assertThat(api().post("/api/partners/acme/shares", TestKeys.USER, "{}").status()).isEqualTo(400);
        assertThat(api().post("/api/partners/acme/shares", TestKeys.CRM, ApiClient.json(Map.of("contactId", contact))).status())
                .isEqualTo(403);
    }

    private long unfinishedShares(String contact) {
        return db.queryForObject("select count(*) from outbox where kind = 'partner-share' and contact_id = ? and status in ('PENDING', 'IN_FLIGHT')",
                Long.class, UUID.fromString(contact));
    }

    @Test
    void aNoticeToAPartnerRemovedFromConfigIsRefusedAndHoldsUpNoShareToAnother() {
        String contact = create(Map.of("firstName", "Ed"));
        // as if partner "gone" had received the contact and been removed from config/partners.yaml since
        String notice = "notice-" + UUID.randomUUID();
        tx.executeWithoutResult(s -> outbox.enqueue(new NewOutboxMessage(notice, PartnerShares.NOTICE, "gone",
                new ContactId(UUID.fromString(contact)), null, "{}")));

        answer(contact, true);

        await().atMost(Duration.ofSeconds(15)).until(() -> !PARTNER.received("contact.shared", contact).isEmpty());
        assertThat(status(notice)).isEqualTo("REFUSED");
        assertThat(db.queryForObject("select last_error from outbox where message_id = ?", String.class, notice))
                .isEqualTo("partner-not-configured");
    }
}
