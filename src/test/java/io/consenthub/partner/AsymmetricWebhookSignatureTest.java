package io.consenthub.partner;

import io.consenthub.support.ApiClient;
import io.consenthub.support.TestKeyStores;
import io.consenthub.support.HubTest;
import io.consenthub.support.PartnerStandIn;
import io.consenthub.support.RecordingEndpoint;
import io.consenthub.support.TestKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A partner whose config names an Ed25519 key store receives, besides the {@code v1} HMAC, a
 * {@code v1a} signature made by the delivery route's {@code crypto:sign} step: it verifies with the
 * key store's own public key (read with the JDK alone) and with the {@code whpk_} key the status API
 * publishes, over exactly {@code id.timestamp.body}; a changed body does not verify.
 */
@HubTest
@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:partner-v1a;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1")
class AsymmetricWebhookSignatureTest {

    private static final Path STORE = TestKeyStores.create("partner-v1a-signing", "Ed25519", "acme-v1a");
    private static final RecordingEndpoint PARTNER = new RecordingEndpoint("/hook");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("consent-hub.partner-sharing.partners.acme.url", PARTNER::url);
        registry.add("consent-hub.partner-sharing.partners.acme.signing.secret", () -> PartnerStandIn.SECRET);
        registry.add("consent-hub.partner-sharing.partners.acme.signing.key-store.path", STORE::toString);
        registry.add("consent-hub.partner-sharing.partners.acme.signing.key-store.password", () -> TestKeyStores.PASSWORD);
        registry.add("consent-hub.partner-sharing.partners.acme.signing.key-store.alias", () -> "acme-v1a");
    }

    @AfterAll
    static void stop() {
        PARTNER.close();
    }

    @LocalServerPort
    int port;

    @Test
    void aShareCarriesAV1aSignatureThatVerifiesWithThePublishedKeyAndNotOverAnotherBody() throws Exception {
        var api = new ApiClient(port);
        String contact = api.post("/api/contacts", TestKeys.USER, ApiClient.json(Map.of(
                "email", "v1a-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org"))).json().get("id").asText();
        assertThat(api.post("/api/contacts/" + contact + "/consents", TestKeys.USER,
                ApiClient.json(Map.of("purpose", "share-with-partner-acme", "granted", true))).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(15)).until(() -> !PARTNER.callsContaining(contact).isEmpty());
        RecordingEndpoint.Call call = PARTNER.callsContaining(contact).get(0);

        String[] signatures = call.header("webhook-signature").split(" ");
        assertThat(Arrays.stream(signatures).map(s -> s.substring(0, s.indexOf(',')))).containsExactly("v1", "v1a");
        String signed = call.header("webhook-id") + "." + call.header("webhook-timestamp") + "." + call.body();
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(TestKeyStores.publicKey(STORE, "acme-v1a"));
        verifier.update(signed.getBytes(StandardCharsets.UTF_8));
        assertThat(verifier.verify(Base64.getDecoder().decode(signatures[1].substring(4)))).isTrue();

        var status = api.get("/api/partners/acme/status", TestKeys.ADMIN).json();
        assertThat(status.get("signatureSchemes").toString()).isEqualTo("[\"v1\",\"v1a\"]");
        String published = status.get("publicKey").asText();
        assertThat(published).startsWith("whpk_");
        Instant now = Instant.now();
        assertThat(WebhookSignature.verifyAsymmetric(published, call.header("webhook-id"), call.header("webhook-timestamp"),
                call.header("webhook-signature"), call.body(), now)).isTrue();
        assertThat(WebhookSignature.verifyAsymmetric(published, call.header("webhook-id"), call.header("webhook-timestamp"),
                call.header("webhook-signature"), call.body().replace(contact, UUID.randomUUID().toString()), now)).isFalse();
        assertThat(WebhookSignature.verify(PartnerStandIn.SECRET, call.header("webhook-id"), call.header("webhook-timestamp"),
                call.header("webhook-signature"), call.body(), now)).as("the v1 signature still verifies").isTrue();
        assertThat(call.headers().keySet()).noneMatch(name -> name.toLowerCase().startsWith("camel"));
    }
}
