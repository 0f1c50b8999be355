package io.consenthub.workflow;

import io.consenthub.support.ApiClient;
import io.consenthub.support.HubTest;
import io.consenthub.support.RecordingEndpoint;
import io.consenthub.support.TestKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The shipped workflow example (routes/workflow/automated-decisions.camel.yaml), switched on by
 * config alone as README "Consent events for routes" says: a grant of {@code automated-decisions}
 * calls the configured URL once with the contact's id and the event id; other consent changes and
 * a revocation call nothing.
 */
@HubTest
@TestPropertySource(properties = {
        "spring.datasource.url=jdbc:h2:mem:workflow-route;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
        "consent-hub.workflow.automated-decisions.enabled=true"})
class WorkflowRouteTest {

    private static final RecordingEndpoint DECISIONS = new RecordingEndpoint("/hooks/consent-granted");

    @DynamicPropertySource
    static void decisionsUrl(DynamicPropertyRegistry registry) {
        registry.add("consent-hub.workflow.automated-decisions.url", DECISIONS::url);
    }

    @AfterAll
    static void stop() {
        DECISIONS.close();
    }

    @LocalServerPort
    int port;

    private void answer(String contact, String purpose, boolean granted) {
        var answer = new ApiClient(port).post("/api/contacts/" + contact + "/consents", TestKeys.USER,
                ApiClient.json(Map.of("purpose", purpose, "granted", granted)));
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    }

    @Test
    void aGrantOfAutomatedDecisionsCallsTheConfiguredUrlOnceWithTheContactAndTheEvent() {
        var created = new ApiClient(port).post("/api/contacts", TestKeys.USER, ApiClient.json(Map.of(
                "email", "wf-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org")));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String contact = created.json().get("id").asText();

        answer(contact, "engagement-tracking", true);
        answer(contact, "automated-decisions", true);
        await().atMost(Duration.ofSeconds(15)).until(() -> !DECISIONS.callsContaining(contact).isEmpty());
        answer(contact, "automated-decisions", false);
        answer(contact, "engagement-tracking", false);
        String marker = new ApiClient(port).post("/api/contacts", TestKeys.USER, ApiClient.json(Map.of(
                "email", "wf-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org"))).json().get("id").asText();
        answer(marker, "automated-decisions", true);
        await().atMost(Duration.ofSeconds(15)).until(() -> !DECISIONS.callsContaining(marker).isEmpty());

        List<String> forContact = DECISIONS.callsContaining(contact).stream().map(RecordingEndpoint.Call::body).toList();
        assertThat(forContact).hasSize(1);
        assertThat(forContact.get(0)).contains("\"contactId\":\"" + contact + "\"").containsPattern("\"eventId\":\"ce-\\d+\"");
        assertThat(forContact.get(0)).doesNotContain("@example.org");
    }
}
