package io.consenthub.crm;

import io.consenthub.consent.ActorKind;
import io.consenthub.consent.ConsentChange;
import io.consenthub.consent.ConsentLedger;
import io.consenthub.consent.EventType;
import io.consenthub.consent.Evidence;
import io.consenthub.contact.ContactDirectory;
import io.consenthub.contact.ContactId;
import io.consenthub.contact.CrmLink;
import io.consenthub.contact.EmailAddress;
import io.consenthub.consent.optin.EmailOptIn;
import io.consenthub.consent.optin.EmailOptInStatus;
import io.consenthub.support.ApiClient;
import io.consenthub.support.HubTest;
import io.consenthub.support.PostgresTestDatabase;
import io.consenthub.support.RequiresPostgres;
import io.consenthub.support.TestKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CRMs that push (POST /api/crm/{connectorId}/contacts), over HTTP against the hub on PostgreSQL:
 * idempotent upsert by external id and modification time, a bad record that rejects the batch,
 * one person in two CRMs with conflicting values, and a field whose storage consent is revoked.
 */
@ExtendWith(RequiresPostgres.class)
@HubTest
class CrmPushOnPostgresTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.register(registry, "consent_hub_push_test");
        for (String id : List.of("shop-crm", "web-shop")) {
            registry.add("consent-hub.crm.connectors." + id + ".kind", () -> "push");
            registry.add("consent-hub.crm.connectors." + id + ".enabled", () -> "true");
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    ContactDirectory contacts;
    @Autowired
    EmailOptIn optIn;
    @Autowired
    ConsentLedger ledger;
    @Autowired
    TransactionTemplate tx;

    private ApiClient.Answer push(String connector, Object... records) {
        return new ApiClient(port).post("/api/crm/" + connector + "/contacts", TestKeys.CRM,
                ApiClient.json(Map.of("contacts", List.of(records))));
    }

    private static Map<String, Object> record(String externalId, String email, String modified, Map<String, Object> more) {
        var record = new java.util.LinkedHashMap<String, Object>(Map.of("externalId", externalId, "email", email, "modified", modified));
        record.putAll(more);
        return record;
    }

    private Map<String, String> attributesOf(String email) {
        return contacts.get(contacts.findByEmail(new EmailAddress(email)).orElseThrow()).attributes().values();
    }

    @Test
    void aResentBatchChangesNothingAndAnOlderRecordNeverOverwritesANewerOne() {
        var first = push("shop-crm",
                record("S-1", "sara@shop.example", "2026-02-01T10:00:00Z", Map.of("attributes", Map.of("firstName", "Sara"))),
                record("S-2", "sven@shop.example", "2026-02-01T10:00:00Z", Map.of()));
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().get("created").asLong()).isEqualTo(2);

        var again = push("shop-crm",
                record("S-1", "sara@shop.example", "2026-02-01T10:00:00Z", Map.of("attributes", Map.of("firstName", "Sara"))),
                record("S-2", "sven@shop.example", "2026-02-01T10:00:00Z", Map.of()));
        assertThat(again.json().get("unchanged").asLong()).isEqualTo(2);

        push("shop-crm", record("S-1", "sara@shop.example", "2026-01-01T10:00:00Z", Map.of("attributes", Map.of("firstName", "Old"))));
        assertThat(attributesOf("sara@shop.example")).containsEntry("firstName", "Sara");

        var newer = push("shop-crm", record("S-1", "sara@shop.example", "2026-02-02T10:00:00+01:00", Map.of("attributes", Map.of("firstName", "Sarah"))));
        assertThat(newer.json().get("updated").asLong()).isEqualTo(1);
        assertThat(attributesOf("sara@shop.example")).containsEntry("firstName", "Sarah");
    }

    @Test
    void oneBadRecordRejectsTheWholeBatchWithItsReasonAndWritesNothing() {
        var answer = push("shop-crm",
                record("B-1", "bo@shop.example", "2026-02-01T10:00:00Z", Map.of()),
                record("B-2", "no-at-sign", "2026-02-01T10:00:00Z", Map.of()));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().get("message").asText()).contains("contacts[1]").contains("not a valid email address");
        assertThat(contacts.findByEmail(new EmailAddress("bo@shop.example"))).isEmpty();
    }

    @Test
    void onlyCrmKeysMayPushAndOnlyToAPushConnector() {
        var asUser = new ApiClient(port).post("/api/crm/shop-crm/contacts", TestKeys.USER,
                ApiClient.json(Map.of("contacts", List.of(record("U-1", "u@shop.example", "2026-02-01T10:00:00Z", Map.of())))));
        assertThat(asUser.status()).isEqualTo(403);
        var unknown = push("no-such-crm", record("U-1", "u@shop.example", "2026-02-01T10:00:00Z", Map.of()));
        assertThat(unknown.status()).isEqualTo(404);
    }

    @Test
    void onePersonInTwoCrmsIsOneContactAndConflictsAreMergedLeastPermissivelyAndRecorded() {
        push("shop-crm", record("A-1", "alva@both.example", "2026-03-01T10:00:00Z", Map.of("attributes", Map.of("firstName", "Alva"))));
        push("web-shop", record("W-9", "Alva@Both.example", "2026-03-01T11:00:00Z",
                Map.of("emailOptOut", true, "attributes", Map.of("firstName", "Alva-Lena"))));

        ContactId alva = contacts.findByEmail(new EmailAddress("alva@both.example")).orElseThrow();
        assertThat(contacts.findByLink(new CrmLink("shop-crm", "A-1"))).contains(alva);
        assertThat(contacts.findByLink(new CrmLink("web-shop", "W-9"))).contains(alva);
        assertThat(optIn.status(alva)).isEqualTo(EmailOptInStatus.OPT_OUT_USER);

        push("shop-crm", record("A-1", "alva@both.example", "2026-03-02T10:00:00Z", Map.of("attributes", Map.of("firstName", "Alva"))));

        assertThat(optIn.status(alva)).isEqualTo(EmailOptInStatus.OPT_OUT_USER);
        var conflicts = new ApiClient(port).get("/api/crm/shop-crm/conflicts", TestKeys.CRM);
        assertThat(conflicts.status()).isEqualTo(200);
        assertThat(conflicts.json().findValuesAsText("kind")).contains("LEAST_PERMISSIVE", "CONFLICT");
        assertThat(conflicts.json().findValuesAsText("field")).contains("emailOptOut", "firstName");
        assertThat(conflicts.text()).doesNotContain("Alva-Lena");
    }

    @Test
    void aFieldWhoseStorageConsentIsRevokedIsNotReImportedAndTheRefusalIsRecorded() {
        push("shop-crm", record("N-1", "nils@shop.example", "2026-04-01T10:00:00Z", Map.of("attributes", Map.of("lastName", "Nord"))));
        ContactId nils = contacts.findByEmail(new EmailAddress("nils@shop.example")).orElseThrow();
        tx.executeWithoutResult(s -> {
            contacts.lock(nils);
            ledger.append(new ConsentChange(nils, EventType.CONSENT_REVOKED, "store-national-id", "REVOKED", null,
                    new Evidence(ActorKind.CONTACT, nils.value().toString(), "preference-page", Instant.now(),
                            "203.0.113.5", "test", "confirmation-2", null)));
        });

        push("shop-crm", record("N-1", "nils@shop.example", "2026-04-02T10:00:00Z",
                Map.of("attributes", Map.of("lastName", "Nordin", "nationalId", "19800101-1234"))));

        assertThat(attributesOf("nils@shop.example")).containsEntry("lastName", "Nordin").doesNotContainKey("nationalId");
        var conflicts = new ApiClient(port).get("/api/crm/shop-crm/conflicts", TestKeys.CRM);
        assertThat(conflicts.json().findValuesAsText("kind")).contains("FIELD_CONSENT_REVOKED");
        assertThat(conflicts.text()).doesNotContain("19800101");
    }
}
