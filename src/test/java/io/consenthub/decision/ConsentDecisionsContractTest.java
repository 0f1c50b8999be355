package io.consenthub.decision;

import com.fasterxml.jackson.databind.JsonNode;
import io.consenthub.consent.ActorKind;
import io.consenthub.consent.ConsentRecords;
import io.consenthub.consent.Evidence;
import io.consenthub.contact.ContactId;
import io.consenthub.support.ApiClient;
import io.consenthub.support.TestKeys;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The decision service at every entry point, over HTTP against the whole hub: a value whose storage
 * consent was never given is not stored, a contact who asked for erasure or to stop processing is
 * changed by no user, import or CRM sync, and a caller's headers cannot tell the gate what to ask.
 * Each refusal is recorded with its rule. Run on H2 and on PostgreSQL.
 */
abstract class ConsentDecisionsContractTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate db;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    ConsentRecords consents;

    ApiClient api;

    @BeforeEach
    void connect() {
        api = new ApiClient(port);
    }

    private static String email(String who) {
        return who + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
    }

    private String create(String address, Map<String, Object> more) {
        var body = new java.util.LinkedHashMap<String, Object>(Map.of("email", address, "attributes", Map.of("firstName", "Test")));
        body.putAll(more);
        var answer = api.post("/api/contacts", TestKeys.USER, ApiClient.json(body));
        assertThat(answer.status()).as(answer.text()).isEqualTo(201);
        return answer.json().get("id").asText();
    }

    private void contactAnswers(String id, String purpose, boolean granted) {
        tx.executeWithoutResult(s -> consents.record(ContactId.parse(id), purpose, granted,
                new Evidence(ActorKind.CONTACT, null, "preference-page", Instant.now(), null, null, "confirm-1", null)));
    }

    private List<String> refusalRules(String id) {
        var rules = new ArrayList<String>();
        api.get("/api/refusals?contactId=" + id, TestKeys.USER).json().forEach(r -> rules.add(r.get("rule").asText()));
        return rules;
    }

    private JsonNode attributes(String id) {
        return api.get("/api/contacts/" + id, TestKeys.USER).json().get("attributes");
    }

    @Test
    void aCardNumberWhoseStorageConsentWasNeverGivenIsNotStoredAndTheRefusalIsRecorded() {
        String address = email("card");
        String id = create(address, Map.of());

        var imported = api.post("/api/contacts/import", TestKeys.USER, ApiClient.json(Map.of("contacts",
                List.of(Map.of("email", address, "attributes", Map.of("cardNumber", "4111111111111234", "phone", "555"))))));
        assertThat(imported.status()).as(imported.text()).isEqualTo(200);
        assertThat(imported.json().get("rows").get(0).get("outcome").asText())
                .isEqualTo("updated; not stored: cardNumber (field-consent-not-given)");
        assertThat(attributes(id).get("phone").asText()).isEqualTo("555");

        var patch = api.patch("/api/contacts/" + id, TestKeys.USER, "{\"attributes\":{\"cardNumber\":\"4111111111111234\"}}");

        assertThat(patch.status()).as(patch.text()).isEqualTo(409);
        assertThat(patch.json().get("message").asText()).contains("store-card-number").doesNotContain("4111");
        assertThat(attributes(id).has("cardNumber")).isFalse();
        assertThat(refusalRules(id)).contains("field-consent-not-given");

        contactAnswers(id, "store-card-number", true);
        assertThat(api.patch("/api/contacts/" + id, TestKeys.USER, "{\"attributes\":{\"cardNumber\":\"4111111111111234\"}}")
                .status()).isEqualTo(200);
        assertThat(attributes(id).get("cardNumber").asText()).isEqualTo("•••• 1234");
    }

    @Test
    void aNewContactCannotArriveHoldingAValueWhoseStorageConsentDefaultsToNo() {
        String address = email("newcard");
        long before = db.queryForObject("select count(*) from contact", Long.class);

        var created = api.post("/api/contacts", TestKeys.USER, ApiClient.json(Map.of("email", address,
                "attributes", Map.of("cardNumber", "4111111111111234"))));

        assertThat(created.status()).as(created.text()).isEqualTo(409);
        assertThat(db.queryForObject("select count(*) from contact", Long.class)).isEqualTo(before);

        var form = api.post("/api/webforms/submissions", TestKeys.WEBFORM, ApiClient.json(Map.of("formId", "signup",
                "email", address, "attributes", Map.of("firstName", "Form", "cardNumber", "4111111111111234"))));
        assertThat(form.status()).isEqualTo(202);
        String id = db.queryForObject("select id from contact where email_key = ?", String.class, address);
        assertThat(attributes(id).has("cardNumber")).isFalse();
        assertThat(attributes(id).get("firstName").asText()).isEqualTo("Form");
    }

    @Test
    void aContactWhoAskedForErasureIsChangedByNoUserImportOrCrmSync() {
        String address = email("erase");
        String id = create(address, Map.of());
        contactAnswers(id, "erasure", true);

        var patch = api.patch("/api/contacts/" + id, TestKeys.USER, "{\"attributes\":{\"phone\":\"555\"}}");
        assertThat(patch.status()).isEqualTo(409);
        assertThat(patch.json().get("message").asText()).contains("erased");

        var imported = api.post("/api/contacts/import", TestKeys.USER, ApiClient.json(Map.of("contacts",
                List.of(Map.of("email", address, "attributes", Map.of("phone", "555"))))));
        assertThat(imported.status()).as(imported.text()).isEqualTo(200);
        assertThat(imported.json().get("rows").get(0).get("outcome").asText()).startsWith("locked");

        var pushed = api.post("/api/crm/shop-crm/contacts", TestKeys.CRM, ApiClient.json(Map.of("contacts", List.of(Map.of(
                "externalId", "E-" + id, "email", address, "modified", "2026-04-01T10:00:00Z", "attributes", Map.of("phone", "555"))))));
        assertThat(pushed.status()).as(pushed.text()).isEqualTo(200);

        assertThat(attributes(id).has("phone")).isFalse();
        assertThat(refusalRules(id)).contains("erasure-requested");
        var conflicts = api.get("/api/crm/shop-crm/conflicts", TestKeys.CRM).json();
        assertThat(conflicts.findValuesAsText("kind")).contains("ERASURE_REQUESTED");
    }

    @Test
    void stopProcessingRefusesUsersOptInsAndConsentGrantsButNeverAWithdrawal() {
        String id = create(email("stop"), Map.of("optInStatus", "SINGLE_OPT_IN_USER"));
        contactAnswers(id, "stop-processing", true);

        var grant = api.post("/api/contacts/" + id + "/consents", TestKeys.USER, "{\"purpose\":\"newsletter\",\"granted\":true}");
        assertThat(grant.status()).as(grant.text()).isEqualTo(409);
        var optOut = api.post("/api/contacts/" + id + "/opt-in-actions", TestKeys.USER, "{\"action\":\"SET_OPT_OUT_USER\"}");
        assertThat(optOut.status()).as(optOut.text()).isEqualTo(200);
        var revert = api.post("/api/contacts/" + id + "/opt-in-actions", TestKeys.USER, "{\"action\":\"REVERT_OPT_OUT_USER\"}");
        assertThat(revert.status()).as(revert.text()).isEqualTo(409);
        assertThat(revert.json().get("message").asText()).contains("stop processing");
        long events = db.queryForObject("select count(*) from consent_event", Long.class);
        var doubleOptIn = api.post("/api/contacts/" + id + "/double-opt-in-requests", TestKeys.USER, "");
        assertThat(doubleOptIn.status()).as(doubleOptIn.text()).isEqualTo(409);
        assertThat(db.queryForObject("select count(*) from consent_event", Long.class)).isEqualTo(events);
        var withdraw = api.post("/api/contacts/" + id + "/consents", TestKeys.USER, "{\"purpose\":\"newsletter\",\"granted\":false}");
        assertThat(withdraw.status()).as(withdraw.text()).isEqualTo(200);

        var contact = api.get("/api/contacts/" + id, TestKeys.USER).json();
        assertThat(contact.get("consents").get("emailOptInStatus").asText()).isEqualTo("OPT_OUT_USER");
        assertThat(refusalRules(id)).containsOnly("stop-processing");
    }

    @Test
    void headersACallerSendsCannotTellTheGateWhatItIsAsking() {
        String id = create(email("hdr"), Map.of());
        assertThat(api.post("/api/contacts/" + id + "/opt-in-actions", TestKeys.USER, "{\"action\":\"SET_OPT_OUT_USER\"}")
                .status()).isEqualTo(200);
        var headers = Map.of("ConsentHubEmailKind", "NOTICE", "consenthubemailkind", "NOTICE",
                "ConsentHubGateQuestion", "NOTICE", "ConsentHubAllowedBy", "notice-of-contacts-own-act");

        var sent = api.send("/api/emails", TestKeys.USER, ApiClient.json(Map.of("contactId", id, "kind", "AD_HOC",
                "subject", "Hello", "text", "Hi")), headers);

        assertThat(sent.status()).as(sent.text()).isIn(201, 202);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(db.queryForObject(
                "select status from outbox where contact_id = ? and kind = 'EMAIL'", String.class, UUID.fromString(id)))
                .isEqualTo("REFUSED"));
        assertThat(refusalRules(id)).contains("opted-out");
    }
}
