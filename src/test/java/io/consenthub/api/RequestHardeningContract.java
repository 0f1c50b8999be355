package io.consenthub.api;

import io.consenthub.support.ApiClient;
import io.consenthub.support.TestKeys;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API as a hostile client uses it: wrong JSON types, malformed evidence, broken encodings.
 * Each is a 400 that names the problem and writes nothing. Run per store by the subclasses.
 */
abstract class RequestHardeningContract {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate db;

    ApiClient api;

    @BeforeEach
    void connect() {
        api = new ApiClient(port);
    }

    private static String email(String who) {
        return who + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
    }

    private String createContact(String email) {
        var answer = api.post("/api/contacts", TestKeys.USER, ApiClient.json(Map.of("email", email)));
        assertThat(answer.status()).as(answer.text()).isEqualTo(201);
        return answer.json().get("id").asText();
    }

    private long written() {
        return db.queryForObject("select (select count(*) from consent_event) + (select count(*) from contact)"
                + " + (select count(*) from preference_change) + (select count(*) from outbox)", Long.class);
    }

    private void assertRefused(String method, String path, String key, String body, String expected) {
        var answer = "PATCH".equals(method) ? api.patch(path, key, body) : api.post(path, key, body);
        assertThat(answer.status()).as(path + " " + body + ": " + answer.text()).isEqualTo(400);
        assertThat(answer.json().get("message").asText()).as(body).contains(expected);
    }

    @Test
    void everyFieldAcceptsOnlyItsOwnJsonTypeAndAWrongOneIsA400NamingTheField() {
        String id = createContact(email("typed"));
        long before = written();
        Map<String, String> webForms = new LinkedHashMap<>();
        webForms.put("{\"formId\":\"signup\",\"email\":\"%s\",\"consents\":{\"newsletter\":123}}", "consents.newsletter");
        webForms.put("{\"formId\":\"signup\",\"email\":\"%s\",\"consents\":{\"newsletter\":\"true\"}}", "consents.newsletter");
        webForms.put("{\"formId\":\"signup\",\"email\":\"%s\",\"marketingOptIn\":123}", "marketingOptIn");
        webForms.put("{\"formId\":\"signup\",\"email\":\"%s\",\"marketingOptIn\":\"true\"}", "marketingOptIn");
        webForms.put("{\"formId\":42,\"email\":\"%s\"}", "formId");
        webForms.put("{\"formId\":\"signup\",\"email\":\"%s\",\"ip\":2130706433}", "ip");
        webForms.put("{\"formId\":\"signup\",\"email\":\"%s\",\"userAgent\":true}", "userAgent");
        webForms.put("{\"formId\":\"signup\",\"email\":\"%s\",\"attributes\":{\"firstName\":7}}", "attributes.firstName");
        webForms.forEach((body, field) -> assertRefused("POST", "/api/webforms/submissions", TestKeys.WEBFORM,
                body.formatted(email("form")), "'" + field + "'"));

        assertRefused("POST", "/api/contacts/" + id + "/consents", TestKeys.USER,
                "{\"purpose\":\"newsletter\",\"granted\":123}", "'granted'");
        assertRefused("POST", "/api/contacts/" + id + "/consents", TestKeys.USER,
                "{\"purpose\":\"newsletter\",\"granted\":\"true\"}", "'granted'");
        assertRefused("POST", "/api/contacts/" + id + "/consents", TestKeys.USER,
                "{\"purpose\":7,\"granted\":true}", "'purpose'");
        assertRefused("POST", "/api/contacts/" + id + "/consents", TestKeys.USER,
                "{\"purpose\":\"newsletter\",\"granted\":true,\"note\":12}", "'note'");
        assertRefused("POST", "/api/contacts/" + id + "/opt-in-actions", TestKeys.USER,
                "{\"action\":1}", "'action'");
        assertRefused("POST", "/api/contacts", TestKeys.USER, "{\"email\":\"" + email("n") + "\",\"optInStatus\":0}", "'optInStatus'");
        assertRefused("PATCH", "/api/contacts/" + id, TestKeys.USER, "{\"note\":false}", "'note'");

        assertThat(written()).isEqualTo(before);
    }

    @Test
    void theIpMustBeAnAddressLiteralAndTheUserAgentBoundedWithTheSameAnswerForKnownAndUnknownAddresses() {
        String known = email("known-ip");
        createContact(known);
        long before = written();
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("\"ip\":\"" + "1".repeat(65) + "\"", "'ip'");
        cases.put("\"ip\":\"localhost\"", "'ip'");
        cases.put("\"ip\":\"example.org\"", "'ip'");
        cases.put("\"ip\":\"256.1.1.1\"", "'ip'");
        cases.put("\"ip\":\"2001:db8::zz\"", "'ip'");
        cases.put("\"userAgent\":\"" + "x".repeat(513) + "\"", "'userAgent'");
        cases.forEach((field, expected) -> {
            var forKnown = api.post("/api/webforms/submissions", TestKeys.WEBFORM,
                    "{\"formId\":\"signup\",\"email\":\"" + known + "\",\"consents\":{\"newsletter\":true}," + field + "}");
            var forUnknown = api.post("/api/webforms/submissions", TestKeys.WEBFORM,
                    "{\"formId\":\"signup\",\"email\":\"" + email("unknown-ip") + "\",\"consents\":{\"newsletter\":true}," + field + "}");
            assertThat(forKnown.status()).as(field + ": " + forKnown.text()).isEqualTo(400);
            assertThat(forKnown.text()).as(field).isEqualTo(forUnknown.text());
            assertThat(forKnown.json().get("message").asText()).contains(expected);
        });
        assertRefused("POST", "/api/contacts", TestKeys.USER,
                "{\"email\":\"" + email("long-note") + "\",\"note\":\"" + "n".repeat(1001) + "\"}", "'note'");
        assertThat(written()).isEqualTo(before);

        for (String ip : new String[] {"203.0.113.7", "2001:db8::1", "::ffff:192.0.2.1"}) {
            var accepted = api.post("/api/webforms/submissions", TestKeys.WEBFORM, ApiClient.json(Map.of("formId", "signup",
                    "email", email("good-ip"), "ip", ip, "userAgent", "x".repeat(512))));
            assertThat(accepted.status()).as(ip + ": " + accepted.text()).isEqualTo(202);
        }
    }

    @Test
    void aBodyThatIsNotUtf8IsA400OnEveryEndpointThatTakesOne() {
        String id = createContact(email("utf"));
        long before = written();
        byte[] broken = "{\"email\":\"caf\u00e9@example.org\"}".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        for (String endpoint : List.of("POST /api/contacts", "POST /api/contacts/import", "POST /api/contacts/" + id + "/opt-in-actions",
                "POST /api/contacts/" + id + "/consents", "POST /api/contacts/" + id + "/unlock", "PATCH /api/contacts/" + id,
                "POST /api/emails", "POST /api/campaigns", "POST /api/double-opt-in-requests", "POST /api/webforms/submissions",
                "POST /api/crm/demo-crm/contacts")) {
            String[] parts = endpoint.split(" ");
            var answer = api.sendBytes(parts[0], parts[1], TestKeys.ADMIN, broken);
            assertThat(answer.status()).as(endpoint + ": " + answer.text()).isEqualTo(400);
            assertThat(answer.json().get("message").asText()).as(endpoint).contains("not valid UTF-8");
        }
        assertThat(written()).isEqualTo(before);
    }

    @Test
    void anEndpointWithoutABodyRefusesOneAndSendsNoMailOnAMalformedRequest() {
        String id = createContact(email("nobody"));
        long before = written();
        for (String body : List.of("{\"list\":", "{\"list\":\"newsletter\"}", "x")) {
            var answer = api.post("/api/contacts/" + id + "/double-opt-in-requests", TestKeys.USER, body);
            assertThat(answer.status()).as(body + ": " + answer.text()).isEqualTo(400);
            assertThat(answer.json().get("message").asText()).contains("takes no request body");
        }
        assertThat(api.post("/api/contacts/" + id + "/preference-link", TestKeys.ADMIN, "{\"ttl\":1}").status()).isEqualTo(400);
        assertThat(written()).isEqualTo(before);
        assertThat(api.post("/api/contacts/" + id + "/double-opt-in-requests", TestKeys.USER, "").status()).isEqualTo(202);
        assertThat(api.post("/api/contacts/" + id + "/preference-link", TestKeys.ADMIN, " {} ").status()).as("{} counts as no body").isEqualTo(201);
    }

    @Test
    void aBodyOverTheLimitIsA413ProblemAndTheBulkEndpointsAllowMore() {
        long before = written();
        String padded = "{\"email\":\"" + email("big") + "\"}" + " ".repeat(1024 * 1024);
        var tooLarge = api.post("/api/contacts", TestKeys.USER, padded);
        assertThat(tooLarge.status()).as(tooLarge.text()).isEqualTo(413);
        assertThat(tooLarge.json().get("message").asText()).contains("larger than the limit of 1048576 bytes");
        assertThat(written()).isEqualTo(before);

        var bulk = api.post("/api/contacts/import", TestKeys.USER, "{\"contacts\":[{\"email\":\"" + email("bulk") + "\"}]}"
                + " ".repeat(2 * 1024 * 1024));
        assertThat(bulk.status()).as(bulk.text()).isEqualTo(200);
    }

    private java.net.http.HttpResponse<String> raw(String path, String accept) throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path));
        if (accept != null) {
            request.header("Accept", accept);
        }
        return java.net.http.HttpClient.newHttpClient().send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void errorsOutsideTheApiRoutesHaveTheJsonProblemShapeAndPagesTheHtmlErrorPage() throws Exception {
        String manyParameters = "/api/contacts?" + String.join("&", java.util.stream.IntStream.range(0, 3000)
                .mapToObj(i -> "p" + i + "=1").toList());
        for (String path : List.of("/p/%2e%2e%2fetc", "/api/contacts/%00", "/api/contacts;jsessionid=1", "/nothing-here",
                "/api/%2e%2e/actuator", manyParameters)) {
            var answer = raw(path, "application/json");
            assertThat(answer.statusCode()).as(path).isBetween(400, 499);
            assertThat(answer.headers().firstValue("Content-Type").orElse("")).as(path).contains("application/json");
            var problem = new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer.body());
            assertThat(problem.get("status").asInt()).as(path).isEqualTo(answer.statusCode());
            assertThat(problem.has("error") && problem.has("message")).as(path + " " + answer.body()).isTrue();
            assertThat(answer.body()).as(path).doesNotContain("Tomcat").doesNotContain("timestamp");
        }
        var page = raw("/p/does/not/exist", "text/html");
        assertThat(page.statusCode()).isEqualTo(404);
        assertThat(page.body()).contains("Page not found").doesNotContain("Whitelabel");
    }

    @Test
    void theRootIsALandingPageLinkingTheApiDocumentAndHealth() throws Exception {
        var landing = raw("/", "text/html");
        assertThat(landing.statusCode()).isEqualTo(200);
        assertThat(landing.body()).contains("href=\"/api/openapi.json\"").contains("href=\"/actuator/health\"");
    }
}
