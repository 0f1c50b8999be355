package io.consenthub.preference;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import io.consenthub.consent.ActorKind;
import io.consenthub.consent.ConsentEvent;
import io.consenthub.consent.ConsentLedger;
import io.consenthub.consent.EventType;
import io.consenthub.consent.Evidence;
import io.consenthub.contact.Attributes;
import io.consenthub.contact.ContactDirectory;
import io.consenthub.contact.ContactId;
import io.consenthub.contact.EmailAddress;
import io.consenthub.support.ApiClient;
import io.consenthub.support.ContactFixtures;
import io.consenthub.support.TestKeys;
import io.consenthub.support.TestMailServer;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.transaction.support.TransactionTemplate;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A change confirmed on the preference page yields a signed consent receipt: the "saved" page links
 * it, the preference page lists it, and the downloaded receipt verifies with a standard JOSE library
 * (nimbus-jose-jwt) against the hub's published JWK set, carries the Kantara CR 1.1 fields, names the
 * contact only by pseudonymous id and is bound to the ledger event it records. A withdrawal gets one
 * too. Run per store by the subclasses.
 */
abstract class ConsentReceiptContract {

    private static final Pattern CONFIRM = Pattern.compile("/p/confirm/([A-Za-z0-9_-]{43})");
    private static final Pattern RECEIPT = Pattern.compile("href=\"(/r/[0-9a-f-]{36})\"");
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    @LocalServerPort
    int port;
    @Autowired
    PendingChanges pending;
    @Autowired
    ContactDirectory contacts;
    @Autowired
    ConsentLedger ledger;
    @Autowired
    TransactionTemplate tx;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void mailServerIsUp() {
        TestMailServer.get();
    }

    @Test
    void aConfirmedPageChangeYieldsASignedReceiptThatVerifiesWithAStandardJoseLibrary() throws Exception {
        String email = ContactFixtures.uniqueEmail("receipt");
        ContactId id = tx.execute(s -> contacts.create(new EmailAddress(email), new Attributes(Map.of("region", "EU")), List.of()).id());
        pending.propose(id, List.of(new Change("newsletter", true)), null);
        String token = confirmToken(email);

        HttpResponse<String> page = get("/p/confirm/" + token, null);
        String cookie = page.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("consent-hub-csrf="))
                .map(c -> c.substring(0, c.indexOf(';'))).findFirst().orElseThrow();
        Matcher csrf = CSRF.matcher(page.body());
        assertThat(csrf.find()).as(page.body()).isTrue();
        HttpResponse<String> done = http.send(HttpRequest.newBuilder(uri("/p/confirm/" + token)).header("Cookie", cookie)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(done.statusCode()).isEqualTo(200);
        Matcher link = RECEIPT.matcher(done.body());
        assertThat(link.find()).as("the saved page links the receipt: " + done.body()).isTrue();

        HttpResponse<String> downloaded = get(link.group(1), null);
        assertThat(downloaded.statusCode()).isEqualTo(200);
        assertThat(downloaded.headers().firstValue("Content-Type").orElse("")).startsWith("application/jwt");
        SignedJWT receipt = SignedJWT.parse(downloaded.body().trim());
        JWKSet keys = JWKSet.parse(get("/.well-known/jwks.json", null).body());
        assertThat(receipt.verify(new ECDSAVerifier(keys.getKeyByKeyId(receipt.getHeader().getKeyID()).toECKey()))).isTrue();

        Map<String, Object> claims = receipt.getJWTClaimsSet().toJSONObject();
        assertThat(claims).containsEntry("version", "KI-CR-v1.1.0").containsEntry("jurisdiction", "SE")
                .containsEntry("collectionMethod", "preference-page").containsEntry("piiPrincipalId", id.value().toString())
                .containsEntry("policyUrl", "http://localhost:8080/privacy").containsKey("consentTimestamp")
                .containsEntry("consentReceiptID", link.group(1).substring(3));
        assertThat(receipt.getPayload().toString()).doesNotContain(email);
        var json = new ObjectMapper().readTree(receipt.getPayload().toString());
        assertThat(json.at("/piiControllers/0/piiController").asText()).isEqualTo("Consent Hub demo controller");
        assertThat(json.at("/services/0/purposes/0/purposeId").asText()).isEqualTo("newsletter");
        assertThat(json.at("/services/0/purposes/0/consentType").asText()).isEqualTo("EXPLICIT");
        assertThat(json.at("/services/0/purposes/0/consentState").asText()).isEqualTo("GIVEN");
        assertThat(json.at("/services/0/purposes/0/thirdPartyDisclosure").asBoolean()).isFalse();
        ConsentEvent granted = ledger.history(id).stream().filter(e -> e.type() == EventType.CONSENT_GRANTED).findFirst().orElseThrow();
        assertThat(json.at("/ledgerEvents/0/eventId").asText()).isEqualTo(granted.eventId().toString());
        assertThat(json.at("/ledgerEvents/0/hash").asText()).isEqualTo(granted.hash());

        String personal = new ApiClient(port).post("/api/contacts/" + id.value() + "/preference-link", TestKeys.USER, "").json()
                .get("url").asText();
        assertThat(get(URI.create(personal).getPath(), null).body()).as("the preference page lists the receipt").contains(link.group(1));

        pending.propose(id, List.of(new Change("newsletter", false)), null);
        pending.confirm(confirmTokenNumber(email, 2), grant -> new Evidence(ActorKind.CONTACT, null, "preference-page", Instant.now(),
                "198.51.100.9", "ConfirmingBrowser/1.0", grant.proofId(), null));
        HttpResponse<String> listed = get(URI.create(personal).getPath(), null);
        Matcher newest = RECEIPT.matcher(listed.body());
        assertThat(newest.find()).isTrue();
        SignedJWT withdrawal = SignedJWT.parse(get(newest.group(1), null).body().trim());
        assertThat(withdrawal.verify(new ECDSAVerifier(keys.getKeyByKeyId(withdrawal.getHeader().getKeyID()).toECKey()))).isTrue();
        assertThat(new ObjectMapper().readTree(withdrawal.getPayload().toString()).at("/services/0/purposes/0/consentState").asText())
                .isEqualTo("WITHDRAWN");
        assertThat(get("/r/" + java.util.UUID.randomUUID(), null).statusCode()).isEqualTo(404);
    }

    private String confirmToken(String email) {
        return confirmTokenNumber(email, 1);
    }

    private String confirmTokenNumber(String email, int number) {
        await().atMost(Duration.ofSeconds(20)).until(() -> TestMailServer.receivedBy(email).size() >= number);
        MimeMessage mail = TestMailServer.receivedBy(email).get(number - 1);
        try {
            Matcher matcher = CONFIRM.matcher(mail.getContent().toString());
            assertThat(matcher.find()).isTrue();
            return matcher.group(1);
        } catch (jakarta.mail.MessagingException | java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> get(String path, String cookie) throws Exception {
        var request = HttpRequest.newBuilder(uri(path)).GET();
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
