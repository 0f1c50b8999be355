package io.consenthub.retention;

import com.fasterxml.jackson.databind.JsonNode;
import io.consenthub.support.ApiClient;
import io.consenthub.support.ContactFixtures;
import io.consenthub.support.TestKeys;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The retention review on a real store, with a retention period of two seconds: a contact who
 * granted nothing and did nothing becomes a candidate with its last activity and rule; one who
 * granted a consent, one opted in and one in stop processing never do; new activity takes a
 * candidate off the list. Run per store by the subclasses.
 */
abstract class RetentionReviewContract {

    @LocalServerPort
    int port;

    private List<String> candidates(ApiClient api) {
        var answer = api.get("/api/retention/candidates?limit=1000", TestKeys.ADMIN);
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        return answer.json().get("candidates").findValuesAsText("contactId");
    }

    static String create(ApiClient api, String who) {
        var created = api.post("/api/contacts", TestKeys.USER, ApiClient.json(Map.of("email", ContactFixtures.uniqueEmail(who),
                "attributes", Map.of("firstName", "Ines"))));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    @Test
    void aContactWhoGrantedNothingAndDidNothingIsListedAndActivityTakesThemOff() {
        var api = new ApiClient(port);
        String granted = create(api, "kept-granted");
        assertThat(api.post("/api/contacts/" + granted + "/consents", TestKeys.USER,
                ApiClient.json(Map.of("purpose", "newsletter", "granted", true))).status()).isEqualTo(200);
        String optedIn = create(api, "kept-opted-in");
        assertThat(api.post("/api/contacts/" + optedIn + "/opt-in-actions", TestKeys.USER,
                ApiClient.json(Map.of("action", "SET_SINGLE_OPT_IN_USER"))).status()).isEqualTo(200);
        String restricted = create(api, "kept-restricted");
        assertThat(api.post("/api/contacts/" + restricted + "/stop-processing", TestKeys.ADMIN,
                ApiClient.json(Map.of("reason", "the contact disputes the data"))).status()).isEqualTo(200);
        String idle = create(api, "idle");

        await().atMost(Duration.ofSeconds(30)).until(() -> candidates(api).contains(idle));

        JsonNode answer = api.get("/api/retention/candidates?limit=1000", TestKeys.ADMIN).json();
        assertThat(answer.get("action").asText()).isEqualTo("review");
        JsonNode candidate = java.util.stream.StreamSupport.stream(answer.get("candidates").spliterator(), false)
                .filter(c -> c.get("contactId").asText().equals(idle)).findFirst().orElseThrow();
        assertThat(candidate.get("rule").asText()).isEqualTo("no-consent-no-activity");
        assertThat(candidate.get("lastActivity").asText()).isNotBlank();
        assertThat(candidates(api)).as("a consent granted, an opt-in and a restriction keep the data")
                .doesNotContain(granted, optedIn, restricted);

        assertThat(api.patch("/api/contacts/" + idle, TestKeys.USER, ApiClient.json(Map.of("attributes", Map.of("city", "Lund"))))
                .status()).isEqualTo(200);
        assertThat(candidates(api)).as("a change of the record is activity").doesNotContain(idle);
    }

    @Test
    void onlyAdminsReviewAndABadLimitIsRefused() {
        var api = new ApiClient(port);
        assertThat(api.get("/api/retention/candidates", TestKeys.USER).status()).isEqualTo(403);
        assertThat(api.get("/api/retention/candidates?limit=0", TestKeys.ADMIN).status()).isEqualTo(400);
    }
}
