package io.consenthub.email;

import io.consenthub.support.ApiClient;
import io.consenthub.support.TestKeys;
import io.consenthub.support.TestMailServer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Addresses the world uses, end to end: an IDN domain is stored for matching in punycode, shown in
 * Unicode and mailed; a UTF-8 local part is accepted and, since the SMTP server (GreenMail) offers no
 * SMTPUTF8, its mail is refused with that reason rather than retried or mangled; a U+202E in a name
 * never reaches the preference page. Run per store by the subclasses.
 */
abstract class InternationalAddressContract {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate db;

    private String create(String email, Map<String, String> attributes) {
        var answer = new ApiClient(port).post("/api/contacts", TestKeys.USER,
                ApiClient.json(Map.of("email", email, "attributes", attributes)));
        assertThat(answer.status()).as(answer.text()).isEqualTo(201);
        return answer.json().get("id").asText();
    }

    private String send(String contactId) {
        var answer = new ApiClient(port).post("/api/emails", TestKeys.USER, ApiClient.json(Map.of(
                "contactId", contactId, "kind", "AD_HOC", "subject", "Hallo", "text", "Grüße")));
        assertThat(answer.status()).as(answer.text()).isEqualTo(202);
        return answer.json().get("messageId").asText();
    }

    private String outboxStatus(String messageId) {
        return db.queryForObject("select status from outbox where message_id = ?", String.class, messageId);
    }

    @Test
    void anIdnDomainIsMatchedByPunycodeShownInUnicodeAndMailed() {
        TestMailServer.get();
        String local = "info-" + UUID.randomUUID().toString().substring(0, 8);
        String id = create(local + "@bücher.de", Map.of());

        assertThat(new ApiClient(port).get("/api/contacts/" + id, TestKeys.USER).json().get("email").asText())
                .isEqualTo(local + "@bücher.de");
        assertThat(db.queryForObject("select email_key from contact where id = ?", String.class, UUID.fromString(id)))
                .isEqualTo(local + "@xn--bcher-kva.de");
        new ApiClient(port).post("/api/contacts", TestKeys.USER, ApiClient.json(Map.of("email", local.toUpperCase() + "@XN--BCHER-KVA.DE")));
        assertThat(db.queryForObject("select count(*) from contact where email_key = ?", Long.class, local + "@xn--bcher-kva.de"))
                .as("the punycode spelling is the same contact").isEqualTo(1);

        String messageId = send(id);
        await().atMost(Duration.ofSeconds(20)).until(() -> "DELIVERED".equals(outboxStatus(messageId)));
        assertThat(TestMailServer.receivedBy(local + "@xn--bcher-kva.de")).hasSize(1);
    }

    @Test
    void aUtf8LocalPartIsAcceptedAndItsMailRefusedWithTheReasonWhereTheServerLacksSmtpUtf8() {
        TestMailServer.get();
        String id = create("jörg.müller-" + UUID.randomUUID().toString().substring(0, 8) + "@example.de", Map.of());

        String messageId = send(id);

        await().atMost(Duration.ofSeconds(20)).until(() -> "REFUSED".equals(outboxStatus(messageId)));
        assertThat(db.queryForObject("select last_error from outbox where message_id = ?", String.class, messageId))
                .contains("SMTPUTF8").doesNotContain("jörg");
    }

    @Test
    void aBidiOverrideInANameNeverReachesThePreferencePage() throws Exception {
        String id = create("bidi-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org",
                Map.of("firstName", "Anna\u202Egnp.exe", "region", "EU"));
        String url = new ApiClient(port).post("/api/contacts/" + id + "/preference-link", TestKeys.ADMIN, "").json().get("url").asText();
        String path = URI.create(url).getPath();

        var page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Annagnp.exe").doesNotContain("\u202E").doesNotContain("&#8238;").doesNotContain("&#x202e;");
    }
}
