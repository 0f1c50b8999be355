package io.consenthub.partner;

import com.fasterxml.jackson.databind.JsonNode;
import io.consenthub.consent.ActorKind;
import io.consenthub.consent.ConsentRecords;
import io.consenthub.consent.Evidence;
import io.consenthub.contact.Attributes;
import io.consenthub.contact.ContactDirectory;
import io.consenthub.contact.ContactId;
import io.consenthub.contact.EmailAddress;
import io.consenthub.support.ApiClient;
import io.consenthub.support.HubTest;
import io.consenthub.support.PartnerStandIn;
import io.consenthub.support.PostgresTestDatabase;
import io.consenthub.support.RequiresPostgres;
import io.consenthub.support.TestKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A sensitive field a partner is explicitly allowed ({@code sensitive-allowed}) leaves the hub only
 * while the contact lets the hub store it: once its storage consent is withdrawn the next share
 * carries every other allowed attribute and not that one.
 */
@ExtendWith(RequiresPostgres.class)
@HubTest
class PartnerPayloadAttributesOnPostgresTest {

    static final PartnerStandIn PARTNER = new PartnerStandIn();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.register(registry, "consent_hub_partner_attributes_test");
        registry.add("consent-hub.partner-sharing.partners.acme.url", PARTNER::url);
        registry.add("consent-hub.partner-sharing.partners.acme.signing.secret", () -> PartnerStandIn.SECRET);
        registry.add("consent-hub.partner-sharing.partners.acme.attributes[0]", () -> "email");
        registry.add("consent-hub.partner-sharing.partners.acme.attributes[1]", () -> "firstName");
        registry.add("consent-hub.partner-sharing.partners.acme.attributes[2]", () -> "nationalId");
        registry.add("consent-hub.partner-sharing.partners.acme.sensitive-allowed[0]", () -> "nationalId");
    }

    @AfterAll
    static void stop() {
        PARTNER.close();
    }

    @LocalServerPort
    int port;
    @Autowired
    ContactDirectory contacts;
    @Autowired
    ConsentRecords consents;
    @Autowired
    TransactionTemplate tx;

    private void contactAnswers(ContactId contact, String purpose, boolean granted) {
        tx.executeWithoutResult(s -> {
            contacts.lock(contact);
            consents.record(contact, purpose, granted, new Evidence(ActorKind.CONTACT, null, "preference-page", Instant.now(),
                    "198.51.100.4", "Browser/1.0", "proof-" + UUID.randomUUID(), null));
        });
    }

    @Test
    void aSensitiveFieldStopsLeavingTheHubOnceItsStorageConsentIsWithdrawn() {
        ContactId contact = tx.execute(s -> contacts.create(new EmailAddress("attr-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org"),
                new Attributes(Map.of("firstName", "Ada")), List.of()).id());
        contactAnswers(contact, "store-national-id", true);
        var patch = new ApiClient(port).patch("/api/contacts/" + contact.value(), TestKeys.USER,
                ApiClient.json(Map.of("attributes", Map.of("nationalId", "19121210-1714"))));
        assertThat(patch.status()).as(patch.text()).isEqualTo(200);
        contactAnswers(contact, "share-with-partner-acme", true);
        String id = contact.value().toString();
        await().atMost(Duration.ofSeconds(15)).until(() -> PARTNER.received("contact.shared", id).size() == 1);
        JsonNode first = PARTNER.received("contact.shared", id).get(0).data().get("attributes");
        assertThat(first.get("nationalId").asText()).isEqualTo("19121210-1714");

        contactAnswers(contact, "store-national-id", false);
        var share = new ApiClient(port).post("/api/partners/acme/shares", TestKeys.USER, ApiClient.json(Map.of("contactId", id)));
        assertThat(share.status()).as(share.text()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(15)).until(() -> PARTNER.received("contact.shared", id).size() == 2);

        JsonNode second = PARTNER.received("contact.shared", id).get(1).data().get("attributes");
        assertThat(second.has("nationalId")).isFalse();
        assertThat(second.get("firstName").asText()).isEqualTo("Ada");
        assertThat(second.has("email")).isTrue();
    }
}
