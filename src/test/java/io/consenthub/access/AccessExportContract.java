package io.consenthub.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.consenthub.support.ApiClient;
import io.consenthub.support.ContactFixtures;
import io.consenthub.support.TestKeys;
import io.consenthub.support.TestMailServer;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The access export on a real store: a contact asks on their preference page, gets the download
 * link at the address on record, and downloads — once — one JSON document with everything the hub
 * holds on them, sensitive values in plaintext because they asked and the reveal logged; an admin
 * gets the same document masked through the API. Run per store by the subclasses.
 */
abstract class AccessExportContract {

    private static final Pattern EXPORT_LINK = Pattern.compile("/p/export/([A-Za-z0-9_-]{43})");
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final String NATIONAL_ID = "19800101-4321";

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate db;
    @Autowired
    ObjectMapper json;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void mailServerIsUp() {
        TestMailServer.get();
    }

    /** A contact with a sensitive field, a granted newsletter and an email the gate refused after an opt-out. */
    private String contactWithHistory(String email) {
        var api = new ApiClient(port);
        var created = api.post("/api/contacts", TestKeys.USER, ApiClient.json(Map.of("email", email,
                "attributes", Map.of("firstName", "Maja", "region", "EU", "nationalId", NATIONAL_ID))));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String id = created.json().get("id").asText();
        assertThat(api.post("/api/contacts/" + id + "/consents", TestKeys.USER,
                ApiClient.json(Map.of("purpose", "newsletter", "granted", true))).status()).isEqualTo(200);
        assertThat(api.post("/api/contacts/" + id + "/opt-in-actions", TestKeys.USER,
                ApiClient.json(Map.of("action", "SET_OPT_OUT_USER"))).status()).isEqualTo(200);
        assertThat(api.post("/api/emails", TestKeys.USER, ApiClient.json(Map.of("contactId", id, "kind", "AD_HOC",
                "subject", "An offer", "text", "Hello"))).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                db.queryForObject("select count(*) from gate_refusal where contact_id = ?", Long.class, UUID.fromString(id)) > 0);
        return id;
    }

    @Test
    void aContactDownloadsEverythingTheHubHoldsOnceFromTheLinkMailedToTheirAddress() throws Exception {
        String email = ContactFixtures.uniqueEmail("export");
        String id = contactWithHistory(email);
        var api = new ApiClient(port);
        String pageUrl = api.post("/api/contacts/" + id + "/preference-link", TestKeys.USER, "{}").json().get("url").asText();
        String pagePath = URI.create(pageUrl).getPath();

        HttpResponse<String> page = get(pagePath, null);
        assertThat(page.body()).contains("name=\"action\" value=\"export\"").contains("id=\"export-sensitive\"");
        HttpResponse<String> sent = postForm(pagePath, page, "action=export&exportSensitive=on");
        assertThat(sent.statusCode()).isEqualTo(200);
        assertThat(sent.body()).contains("id=\"export-sent\"").doesNotContain(NATIONAL_ID);
        UUID exportId = db.queryForObject("select id from access_export where contact_id = ?", UUID.class, UUID.fromString(id));

        String token = exportToken(email);
        HttpResponse<String> offer = get("/p/export/" + token, null);
        assertThat(offer.statusCode()).isEqualTo(200);
        assertThat(get("/p/export/" + token, null).statusCode()).as("opening the link (a mail scanner, say) uses nothing up").isEqualTo(200);
        HttpResponse<String> downloaded = postForm("/p/export/" + token, offer, "");

        assertThat(downloaded.statusCode()).isEqualTo(200);
        assertThat(downloaded.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(downloaded.headers().firstValue("Content-Disposition").orElse("")).startsWith("attachment; filename=\"my-data-");
        assertThat(downloaded.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
        JsonNode document = json.readTree(downloaded.body());
        assertThat(document.get("format").asText()).isEqualTo(AccessExports.FORMAT);
        assertThat(document.get("exportId").asText()).isEqualTo(exportId.toString());
        assertThat(document.get("requestedThrough").asText()).isEqualTo("preference-page");
        assertThat(document.get("sensitiveValues").asText()).isEqualTo("plaintext");
        assertThat(document.at("/contact/email").asText()).isEqualTo(email);
        assertThat(document.at("/contact/attributes/nationalId").asText()).as("asked for and confirmed").isEqualTo(NATIONAL_ID);
        assertThat(document.at("/contact/attributes/firstName").asText()).isEqualTo("Maja");
        assertThat(document.at("/consents/emailOptInStatus").asText()).isEqualTo("OPT_OUT_USER");
        assertThat(document.get("history").findValuesAsText("subject")).contains("newsletter");
        assertThat(document.get("history").findValuesAsText("actorKind")).contains("USER");
        assertThat(document.get("email").get("sent").findValuesAsText("status")).contains("REFUSED");
        assertThat(document.get("email").get("sent").findValuesAsText("kind")).contains("AD_HOC", "NOTICE");
        assertThat(document.get("refusals").findValuesAsText("rule")).contains("opted-out");
        assertThat(document.get("links").findValuesAsText("purpose")).contains("PREFERENCES", "ACCESS_EXPORT");
        assertThat(downloaded.body()).as("no link token leaves in the export").doesNotContain(token);
        assertThat(document.get("field-access").findValuesAsText("rule")).as("the reveal to the contact is logged").contains("access-export");
        assertThat(document.fieldNames()).toIterable().as("a section from every part of the hub that keeps contact data")
                .contains("email", "partner-shares", "preference-page", "links", "receipts", "refusals", "field-access", "crm-records",
                        "access-exports", "retention", "erasure");
        for (JsonNode event : document.get("history")) {
            if (!"CONTACT".equals(event.get("actorKind").asText())) {
                assertThat(event.path("ip").isTextual() || event.path("userAgent").isTextual())
                        .as("the IP and browser of a user's act are the user's data, not the contact's").isFalse();
            }
        }

        assertThat(postForm("/p/export/" + token, offer, "").statusCode()).as("the link works once").isEqualTo(404);
        assertThat(db.queryForObject("select count(*) from access_export where id = ? and delivered_at is not null and sensitive_plaintext",
                Long.class, exportId)).isEqualTo(1);
        JsonNode accessLog = api.get("/api/field-access-log?contactId=" + id, TestKeys.ADMIN).json();
        assertThat(accessLog.toString()).contains("\"role\":\"CONTACT\"").contains("access-export").contains("nationalId");
    }

    @Test
    void sensitiveValuesStayMaskedWhenTheAddressOnRecordChangedRecently() throws Exception {
        String id = contactWithHistory(ContactFixtures.uniqueEmail("export-before"));
        String moved = ContactFixtures.uniqueEmail("export-moved");
        var api = new ApiClient(port);
        assertThat(api.patch("/api/contacts/" + id, TestKeys.USER, ApiClient.json(Map.of("email", moved))).status()).isEqualTo(200);
        String pagePath = URI.create(api.post("/api/contacts/" + id + "/preference-link", TestKeys.USER, "{}").json().get("url").asText())
                .getPath();
        HttpResponse<String> page = get(pagePath, null);
        assertThat(postForm(pagePath, page, "action=export&exportSensitive=on").statusCode()).isEqualTo(200);

        String token = exportToken(moved);
        HttpResponse<String> offer = get("/p/export/" + token, null);
        HttpResponse<String> downloaded = postForm("/p/export/" + token, offer, "");

        assertThat(downloaded.statusCode()).isEqualTo(200);
        assertThat(downloaded.body()).as("whoever changed the address cannot have the plaintext mailed to it").doesNotContain(NATIONAL_ID);
        JsonNode document = json.readTree(downloaded.body());
        assertThat(document.get("sensitiveValues").asText()).isEqualTo("masked");
        assertThat(document.get("plaintextRefused").asText()).contains("address on record changed");
        assertThat(document.at("/contact/attributes/nationalId").asText()).endsWith("4321").startsWith("•");
    }

    @Test
    void anAdminExportMasksSensitiveValuesIsRecordedAndIsForAdminsOnly() {
        String id = contactWithHistory(ContactFixtures.uniqueEmail("admin-export"));
        var api = new ApiClient(port);

        assertThat(api.get("/api/contacts/" + id + "/export", TestKeys.USER).status()).isEqualTo(403);
        assertThat(api.get("/api/contacts/" + id + "/export", TestKeys.CRM).status()).isEqualTo(403);
        var answer = api.get("/api/contacts/" + id + "/export", TestKeys.ADMIN);

        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
        assertThat(answer.text()).doesNotContain(NATIONAL_ID);
        assertThat(answer.json().at("/contact/attributes/nationalId").asText()).endsWith("4321").startsWith("•");
        assertThat(answer.json().get("sensitiveValues").asText()).isEqualTo("masked");
        assertThat(answer.json().get("requestedThrough").asText()).isEqualTo("api");
        assertThat(answer.json().get("email").get("sent").findValuesAsText("status")).contains("REFUSED");
        assertThat(db.queryForObject("select requested_by from access_export where contact_id = ?", String.class, UUID.fromString(id)))
                .isEqualTo("test-admin");
        assertThat(api.get("/api/contacts/" + UUID.randomUUID() + "/export", TestKeys.ADMIN).status()).isEqualTo(404);
        assertThat(api.get("/api/contacts/not-an-id/export", TestKeys.ADMIN).status()).isEqualTo(400);
    }

    private String exportToken(String email) {
        await().atMost(Duration.ofSeconds(20)).until(() -> TestMailServer.receivedBy(email).stream()
                .anyMatch(mail -> EXPORT_LINK.matcher(body(mail)).find()));
        MimeMessage mail = TestMailServer.receivedBy(email).stream().filter(m -> EXPORT_LINK.matcher(body(m)).find())
                .findFirst().orElseThrow();
        Matcher matcher = EXPORT_LINK.matcher(body(mail));
        assertThat(matcher.find()).isTrue();
        return matcher.group(1);
    }

    private static String body(MimeMessage mail) {
        try {
            return mail.getContent().toString();
        } catch (jakarta.mail.MessagingException | java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> get(String path, String cookie) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Posts a page's form as a browser would: with the page's CSRF cookie and token. */
    private HttpResponse<String> postForm(String path, HttpResponse<String> page, String fields) throws Exception {
        String cookie = page.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("consent-hub-csrf="))
                .map(c -> c.substring(0, c.indexOf(';'))).findFirst().orElseThrow();
        Matcher csrf = CSRF.matcher(page.body());
        assertThat(csrf.find()).as(page.body()).isTrue();
        String body = "_csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8) + (fields.isEmpty() ? "" : "&" + fields);
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).header("Cookie", cookie)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
