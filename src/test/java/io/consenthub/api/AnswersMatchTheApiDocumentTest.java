package io.consenthub.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.consenthub.support.ApiClient;
import io.consenthub.support.ApiDocumentSchemas;
import io.consenthub.support.HubTest;
import io.consenthub.support.TestKeys;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real answers of the running hub against the document it serves: every answer's status is one
 * the operation documents, and its body is valid against the documented schema — so a client
 * generated from the document can read what the hub really sends.
 */
@HubTest
@TestPropertySource(properties = {
        "spring.datasource.url=jdbc:h2:mem:api-document;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
        "consent-hub.email.base-url=https://consent.example.test/",
        // its own demo CRM database: the JVM-wide in-memory one may already hold another test context's rows
        "consent-hub.crm.connectors.demo-crm.jdbc.url=jdbc:h2:mem:demo-crm-api-document;DB_CLOSE_DELAY=-1;MODE=MySQL;DATABASE_TO_LOWER=TRUE"})
class AnswersMatchTheApiDocumentTest {

    @LocalServerPort
    int port;

    private final ApiDocumentSchemas document = ApiDocumentSchemas.load();
    private ApiClient api;

    @BeforeEach
    void connect() {
        api = new ApiClient(port);
    }

    @Test
    void theServedDocumentNamesTheConfiguredPublicAddressAsItsServer() {
        var served = api.get("/api/openapi.json", null);

        assertThat(served.status()).isEqualTo(200);
        assertThat(served.json().at("/servers/0/url").asText()).isEqualTo("https://consent.example.test");
        assertThat(served.json().get("paths")).isEqualTo(document.document().get("paths"));
        assertThat(served.json().get("components")).isEqualTo(document.document().get("components"));
        var yaml = api.get("/api/openapi.yaml", null);
        assertThat(yaml.status()).isEqualTo(200);
        assertThat(yaml.text()).contains("url: \"https://consent.example.test\"").contains("X-API-Key");
    }

    @Test
    void contactAnswersMatchTheirDocumentedSchemas() {
        String email = "doc-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
        var body = new LinkedHashMap<String, Object>();
        body.put("email", email);
        body.put("attributes", Map.of("firstName", "Doc"));
        body.put("optInStatus", "SINGLE_OPT_IN_USER");
        var created = matches("POST", "/api/contacts", api.post("/api/contacts", TestKeys.USER, ApiClient.json(body)), 201);
        String id = created.get("id").asText();
        String contact = "/api/contacts/" + id;

        matches("GET", contact, api.get(contact, TestKeys.CRM), 200);
        matches("GET", contact + "/history", api.get(contact + "/history", TestKeys.USER), 200);
        matches("PATCH", contact, api.patch(contact, TestKeys.USER, "{\"attributes\":{\"city\":\"Uppsala\",\"firstName\":null}}"), 200);
        matches("POST", contact + "/consents", api.post(contact + "/consents", TestKeys.USER,
                "{\"purpose\":\"newsletter\",\"granted\":true}"), 200);
        matches("GET", "/api/contacts", api.get("/api/contacts?optInStatus=SINGLE_OPT_IN_USER,NONE&consent.newsletter=granted&size=5",
                TestKeys.USER), 200);
        matches("POST", "/api/contacts/import", api.post("/api/contacts/import", TestKeys.USER,
                "{\"contacts\":[{\"email\":\"" + email + "\"},{\"email\":\"new-" + email + "\",\"crmLinks\":"
                        + "[{\"connectorId\":\"vtiger\",\"externalId\":\"4711\"}]}]}"), 200);
        matches("POST", contact + "/opt-in-actions", api.post(contact + "/opt-in-actions", TestKeys.USER,
                "{\"action\":\"SET_OPT_OUT_USER\",\"note\":\"by phone\"}"), 200);
        matches("POST", contact + "/double-opt-in-requests", api.post(contact + "/double-opt-in-requests", TestKeys.USER, ""), 409);
        matches("POST", contact + "/opt-in-actions", api.post(contact + "/opt-in-actions", TestKeys.USER,
                "{\"action\":\"REVERT_OPT_OUT_USER\"}"), 200);
        matches("POST", contact + "/double-opt-in-requests", api.post(contact + "/double-opt-in-requests", TestKeys.USER, ""), 202);
        matches("POST", contact + "/preference-link", api.post(contact + "/preference-link", TestKeys.USER, ""), 201);
        matches("DELETE", contact + "/preference-link", api.delete(contact + "/preference-link", TestKeys.USER), 200);
        matches("POST", contact + "/unlock", api.post(contact + "/unlock", TestKeys.ADMIN, "{\"note\":\"asked\"}"), 200);
        matches("GET", "/api/reports/consents", api.get("/api/reports/consents", TestKeys.CRM), 200);
        matches("GET", "/api/purposes", api.get("/api/purposes", TestKeys.USER), 200);
        matches("GET", "/api/ledger/verify", api.get("/api/ledger/verify", TestKeys.ADMIN), 200);
        matches("GET", "/api/ledger/checkpoints", api.get("/api/ledger/checkpoints", TestKeys.ADMIN), 200);
        matches("GET", "/api/ledger/verify", api.get("/api/ledger/verify?contactId=" + contact.substring(contact.lastIndexOf('/') + 1),
                TestKeys.ADMIN), 200);
        matches("POST", "/api/webforms/submissions", api.post("/api/webforms/submissions", TestKeys.WEBFORM,
                ApiClient.json(Map.of("formId", "signup", "email", "form-" + email, "marketingOptIn", true,
                        "consents", Map.of("newsletter", true), "ip", "203.0.113.7", "userAgent", "Mozilla/5.0"))), 202);
    }

    @Test
    void emailAnswersMatchTheirDocumentedSchemas() {
        var created = api.post("/api/contacts", TestKeys.USER, "{\"email\":\"mail-" + UUID.randomUUID() + "@example.org\"}");
        String id = created.json().get("id").asText();

        matches("POST", "/api/emails", api.post("/api/emails", TestKeys.USER, ApiClient.json(Map.of("contactId", id,
                "kind", "REPLY", "subject", "Re: question", "text", "Thanks", "inReplyTo", "<q-1@example.com>"))), 202);
        var campaign = matches("POST", "/api/campaigns", api.post("/api/campaigns", TestKeys.USER, ApiClient.json(Map.of(
                "name", "Doc", "list", "newsletter", "subject", "News", "text", "Hello {unsubscribeLink}"))), 202);
        String progress = "/api/campaigns/" + campaign.get("id").asText();
        matches("GET", progress, api.get(progress, TestKeys.USER), 200);
        matches("GET", "/api/campaigns/no-such-campaign", api.get("/api/campaigns/no-such-campaign", TestKeys.USER), 404);
        matches("POST", "/api/double-opt-in-requests", api.post("/api/double-opt-in-requests", TestKeys.USER,
                "{\"list\":\"newsletter\"}"), 200);
        matches("GET", "/api/refusals", api.get("/api/refusals?limit=10", TestKeys.USER), 200);
    }

    @Test
    void errorAnswersAreTheDocumentedProblem() {
        String unknown = "/api/contacts/" + UUID.randomUUID();
        matches("POST", "/api/contacts", api.post("/api/contacts", TestKeys.USER, "{\"email\":\"not-an-address\"}"), 400);
        matches("POST", "/api/contacts", api.post("/api/contacts", TestKeys.USER, "{\"email\":42}"), 400);
        matches("POST", "/api/contacts", api.postAs("/api/contacts", TestKeys.USER, "text/plain", "email"), 415);
        matches("POST", "/api/contacts", api.post("/api/contacts", TestKeys.USER,
                "{\"email\":\"big@example.org\",\"note\":\"" + "x".repeat(1_100_000) + "\"}"), 413);
        matches("GET", unknown, api.get(unknown, null), 401);
        matches("GET", unknown, api.get(unknown, "not-a-key"), 401);
        matches("POST", "/api/contacts", api.post("/api/contacts", TestKeys.CRM, "{\"email\":\"crm@example.org\"}"), 403);
        matches("GET", unknown, api.get(unknown, TestKeys.USER), 404);
        matches("GET", "/api/contacts/not-a-uuid", api.get("/api/contacts/not-a-uuid", TestKeys.USER), 400);
        matches("GET", "/api/contacts", api.get("/api/contacts?size=100000", TestKeys.USER), 400);
        matches("GET", "/api/crm/no-such-crm/status", api.get("/api/crm/no-such-crm/status", TestKeys.CRM), 404);
    }

    @Test
    void crmAnswersMatchTheirDocumentedSchemas() {
        matches("GET", "/api/crm/demo-crm/status", api.get("/api/crm/demo-crm/status", TestKeys.CRM), 200);
        matches("GET", "/api/crm/demo-crm/rejects", api.get("/api/crm/demo-crm/rejects?limit=5", TestKeys.CRM), 200);
        matches("GET", "/api/crm/demo-crm/conflicts", api.get("/api/crm/demo-crm/conflicts", TestKeys.CRM), 200);
        matches("GET", "/api/crm/demo-crm/reconcile", api.get("/api/crm/demo-crm/reconcile", TestKeys.CRM), 200);
        matches("POST", "/api/crm/demo-crm/dry-run", api.post("/api/crm/demo-crm/dry-run?limit=3&from=beginning",
                TestKeys.ADMIN, ""), 200);
        matches("POST", "/api/crm/demo-crm/dry-run", api.post("/api/crm/demo-crm/dry-run?from=yesterday",
                TestKeys.ADMIN, ""), 400);
    }

    /**
     * The roles each operation's description names ("Role: USER." / "Roles: USER, CRM.") are the
     * ones the hub lets in: every other role gets 403, the named ones (and ADMIN) get past the
     * key check. Requests aim at unknown ids and empty bodies, so nothing is written or sent.
     */
    @Test
    void everyOperationLetsInExactlyTheRolesItsDescriptionNames() {
        Map<String, String> keys = Map.of("ADMIN", TestKeys.ADMIN, "USER", TestKeys.USER, "CRM", TestKeys.CRM,
                "WEBFORM", TestKeys.WEBFORM);
        var wrong = new java.util.ArrayList<String>();
        int[] checked = {0};
        document.document().get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(verb -> {
            JsonNode operation = verb.getValue();
            if (!operation.has("operationId") || (operation.has("security") && operation.get("security").isEmpty())) {
                return;
            }
            var named = java.util.regex.Pattern.compile("^Roles?: ([A-Z, ]+)\\.").matcher(operation.path("description").asText());
            assertThat(named.find()).as(verb.getKey() + " " + path.getKey() + " names its roles").isTrue();
            var roles = java.util.Set.of(named.group(1).split(", "));
            String concrete = path.getKey().replace("{id}", UUID.randomUUID().toString())
                    .replace("{campaignId}", UUID.randomUUID().toString()).replace("{connectorId}", "no-such-crm")
                    .replace("{field}", "cardNumber");
            String method = verb.getKey().toUpperCase(java.util.Locale.ROOT);
            for (var role : keys.entrySet()) {
                ApiClient.Answer answer = switch (method) {
                    case "GET" -> api.get(concrete, role.getValue());
                    case "DELETE" -> api.delete(concrete, role.getValue());
                    case "PATCH" -> api.patch(concrete, role.getValue(), "{}");
                    default -> api.post(concrete, role.getValue(), operation.has("requestBody") ? "{}" : "");
                };
                checked[0]++;
                boolean allowed = role.getKey().equals("ADMIN") || roles.contains(role.getKey());
                boolean letIn = answer.status() != 401 && answer.status() != 403;
                if (allowed != letIn) {
                    wrong.add(method + " " + path.getKey() + " as " + role.getKey() + ": " + answer.status());
                }
                var op = document.operation(method, concrete).orElseThrow();
                if (document.responseSchema(op, answer.status()).isEmpty()) {
                    wrong.add(method + " " + path.getKey() + " as " + role.getKey() + " answered undocumented " + answer.status()
                            + " " + answer.text());
                } else if (answer.json() != null) {
                    document.problems(document.responseSchema(op, answer.status()).get(), answer.json())
                            .forEach(problem -> wrong.add(method + " " + path.getKey() + ": " + problem));
                }
            }
        }));
        assertThat(wrong).isEmpty();
        assertThat(checked[0]).isGreaterThan(100);
    }

    /** The answer has the expected status, the operation documents it, and the body is valid against its schema. */
    private JsonNode matches(String method, String path, ApiClient.Answer answer, int expectedStatus) {
        assertThat(answer.status()).as(method + " " + path + ": " + answer.text()).isEqualTo(expectedStatus);
        var operation = document.operation(method, path);
        assertThat(operation).as(method + " " + path + " is documented").isPresent();
        var schema = document.responseSchema(operation.get(), answer.status());
        assertThat(schema).as(operation.get().method() + " " + operation.get().path() + " documents " + answer.status()).isPresent();
        assertThat(answer.json()).as(method + " " + path + " answers JSON").isNotNull();
        assertThat(document.problems(schema.get(), answer.json()))
                .as(operation.get().method() + " " + operation.get().path() + " " + answer.status() + " answer " + answer.text())
                .isEmpty();
        return answer.json();
    }
}
