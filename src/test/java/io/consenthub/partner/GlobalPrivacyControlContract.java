package io.consenthub.partner;

import com.fasterxml.jackson.databind.JsonNode;
import io.consenthub.consent.GlobalPrivacyControl;
import io.consenthub.support.ApiClient;
import io.consenthub.support.PartnerStandIn;
import io.consenthub.support.TestKeys;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Global Privacy Control ({@code Sec-GPC: 1}): a known contact's preference-page visit or web-form
 * submission carrying the signal revokes its partner-sharing consents at once, with the signal
 * named in the evidence, and the partner is told; a visit without it changes nothing; a form with
 * it never grants partner sharing. Run per store by the subclasses.
 */
abstract class GlobalPrivacyControlContract {

    static final PartnerStandIn PARTNER = new PartnerStandIn();

    static void partner(DynamicPropertyRegistry registry) {
        registry.add("consent-hub.partner-sharing.partners.acme.url", PARTNER::url);
        registry.add("consent-hub.partner-sharing.partners.acme.signing.secret", () -> PartnerStandIn.SECRET);
        registry.add("consent-hub.partner-sharing.partners.acme.retry.initial-backoff", () -> "100ms");
    }

    @LocalServerPort
    int port;

    private ApiClient api() {
        return new ApiClient(port);
    }

    private static String email() {
        return "gpc-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
    }

    private String create(String email) {
        var answer = api().post("/api/contacts", TestKeys.USER, ApiClient.json(Map.of("email", email)));
        assertThat(answer.status()).as(answer.text()).isEqualTo(201);
        return answer.json().get("id").asText();
    }

    private String sharedWithAcme(String email) {
        String contact = create(email);
        var answer = api().post("/api/contacts/" + contact + "/consents", TestKeys.USER,
                ApiClient.json(Map.of("purpose", "share-with-partner-acme", "granted", true)));
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(15)).until(() -> !PARTNER.received("contact.shared", contact).isEmpty());
        return contact;
    }

    private List<JsonNode> history(String contact, String purpose) {
        JsonNode history = api().get("/api/contacts/" + contact + "/history", TestKeys.USER).json();
        return StreamSupport.stream(history.spliterator(), false).filter(e -> purpose.equals(e.get("subject").asText())).toList();
    }

    private static JsonNode latest(List<JsonNode> events) {
        return events.get(events.size() - 1);
    }

    private String consent(String contact, String purpose) {
        JsonNode consents = api().get("/api/contacts/" + contact, TestKeys.USER).json().get("consents").get("consents");
        for (JsonNode entry : consents) {
            if (purpose.equals(entry.get("purpose").asText())) {
                return entry.get("granted").asBoolean() ? "granted" : "not granted";
            }
        }
        return "absent";
    }

    private HttpResponse<String> visit(String contact, Map<String, String> headers) throws IOException, InterruptedException {
        String url = api().post("/api/contacts/" + contact + "/preference-link", TestKeys.USER, "").json().get("url").asText();
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + URI.create(url).getPath()))
                .header("User-Agent", "GpcBrowser/1.0");
        headers.forEach(request::header);
        return HttpClient.newHttpClient().send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private ApiClient.Answer submitForm(String email, Map<String, Boolean> consents, Map<String, String> headers, Boolean gpcField) {
        var form = new HashMap<String, Object>(Map.of("formId", "signup", "email", email, "consents", consents));
        if (gpcField != null) {
            form.put("globalPrivacyControl", gpcField);
        }
        return api().send("/api/webforms/submissions", TestKeys.WEBFORM, ApiClient.json(form), headers);
    }

    @Test
    void aPreferencePageVisitWithTheSignalRevokesPartnerSharingWithEvidenceAndTellsThePartner() throws Exception {
        String contact = sharedWithAcme(email());

        var page = visit(contact, Map.of("Sec-GPC", "1"));

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("id=\"gpc-honoured\"");
        assertThat(consent(contact, "share-with-partner-acme")).isEqualTo("not granted");
        JsonNode revocation = latest(history(contact, "share-with-partner-acme"));
        assertThat(revocation.get("type").asText()).isEqualTo("CONSENT_REVOKED");
        assertThat(revocation.get("actorKind").asText()).isEqualTo("CONTACT");
        assertThat(revocation.get("channel").asText()).isEqualTo("preference-page");
        assertThat(revocation.get("note").asText()).isEqualTo(GlobalPrivacyControl.NOTE);
        assertThat(revocation.get("userAgent").asText()).isEqualTo("GpcBrowser/1.0");
        await().atMost(Duration.ofSeconds(15)).until(() -> !PARTNER.received("consent.revoked", contact).isEmpty());

        var again = visit(contact, Map.of("Sec-GPC", "1"));
        assertThat(again.body()).as("nothing left to revoke").doesNotContain("id=\"gpc-honoured\"");
        assertThat(history(contact, "share-with-partner-acme")).hasSize(2);
    }

    @Test
    void aVisitWithoutTheSignalOrWithAnotherValueChangesNothing() throws Exception {
        String contact = sharedWithAcme(email());

        visit(contact, Map.of());
        visit(contact, Map.of("Sec-GPC", "0"));

        assertThat(consent(contact, "share-with-partner-acme")).isEqualTo("granted");
        assertThat(history(contact, "share-with-partner-acme")).hasSize(1);
    }

    @Test
    void aWebFormWithTheSignalRevokesAKnownContactsPartnerSharingAtOnceAndItsBoxGrantsNothing() {
        String email = email();
        String contact = sharedWithAcme(email);

        var answer = submitForm(email, Map.of("share-with-partner-acme", true), Map.of("Sec-GPC", "1"), null);

        assertThat(answer.status()).as(answer.text()).isEqualTo(202);
        assertThat(consent(contact, "share-with-partner-acme")).isEqualTo("not granted");
        JsonNode revocation = latest(history(contact, "share-with-partner-acme"));
        assertThat(revocation.get("channel").asText()).isEqualTo("web-form");
        assertThat(revocation.get("note").asText()).isEqualTo(GlobalPrivacyControl.NOTE);
        await().atMost(Duration.ofSeconds(15)).until(() -> !PARTNER.received("consent.revoked", contact).isEmpty());
    }

    @Test
    void aNewAddressWhoseFormCarriesTheSignalIsRecordedAsNotSharingWhateverTheBoxSaid() {
        String email = email();

        var answer = submitForm(email, Map.of("share-with-partner-acme", true, "automated-decisions", true), Map.of(), true);

        assertThat(answer.status()).as(answer.text()).isEqualTo(202);
        JsonNode page = api().get("/api/contacts?consent.automated-decisions=granted&size=500", TestKeys.USER).json().get("items");
        List<String> found = StreamSupport.stream(page.spliterator(), false).filter(item -> email.equals(item.get("email").asText()))
                .map(item -> item.get("id").asText()).toList();
        assertThat(found).hasSize(1);
        String contact = found.get(0);
        assertThat(consent(contact, "share-with-partner-acme")).isEqualTo("not granted");
        assertThat(consent(contact, "automated-decisions")).as("other answers stand").isEqualTo("granted");
        List<JsonNode> events = new ArrayList<>(history(contact, "share-with-partner-acme"));
        assertThat(events).hasSize(1);
        assertThat(events.get(0).get("value").asText()).isEqualTo("REVOKED");
        assertThat(events.get(0).get("note").asText()).isEqualTo(GlobalPrivacyControl.NOTE);
        assertThat(PARTNER.received("contact.shared", contact)).isEmpty();
    }
}
