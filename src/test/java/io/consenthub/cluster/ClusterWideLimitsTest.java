package io.consenthub.cluster;

import io.consenthub.support.ApiClient;
import io.consenthub.support.ContactFixtures;
import io.consenthub.support.RequiresPostgres;
import io.consenthub.support.TestKeys;
import io.consenthub.support.TestMailServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The limits hold for the cluster, not per node: two hubs joined into one Hazelcast cluster on one
 * PostgreSQL, with the requests of one client spread over both as a balancer would. Counted per
 * node, the page burst below would get ten answers instead of five, and the second double-opt-in
 * request would go out from the other node.
 */
@ExtendWith(RequiresPostgres.class)
class ClusterWideLimitsTest {

    private static HubsInOneJvm hubs;
    private static int a;
    private static int b;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void twoMembers() throws Exception {
        TestMailServer.get();
        hubs = new HubsInOneJvm("consent_hub_cluster_limits", 5871, 2, Map.of(
                "server.forward-headers-strategy", "native",
                "consent-hub.links.views-per-minute-per-contact-and-ip", "5"));
        a = hubs.start();
        b = hubs.start();
        await().atMost(Duration.ofSeconds(30)).until(() ->
                hubs.bean(0, com.hazelcast.core.HazelcastInstance.class).getCluster().getMembers().size() == 2);
    }

    @AfterAll
    static void stop() {
        if (hubs != null) {
            hubs.close();
        }
    }

    private static String createContact(int port) {
        var created = new ApiClient(port).post("/api/contacts", TestKeys.USER,
                ApiClient.json(Map.of("email", ContactFixtures.uniqueEmail("cluster-limit"), "attributes", Map.of("region", "EU"))));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    private int get(int port, String path, String ip) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("X-Forwarded-For", ip).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void aPagesBudgetPerContactAndIpHoldsForRequestsSpreadOverTwoMembers() throws Exception {
        String id = createContact(a);
        var link = new ApiClient(a).post("/api/contacts/" + id + "/preference-link", TestKeys.USER, "");
        assertThat(link.status()).as(link.text()).isEqualTo(201);
        String path = URI.create(link.json().get("url").asText()).getPath();
        // a fixed one-minute window: the burst must not straddle a minute boundary
        await().atMost(Duration.ofSeconds(61)).pollInterval(Duration.ofMillis(200)).until(() -> Instant.now().getEpochSecond() % 60 < 45);

        var statuses = new ArrayList<Integer>();
        for (int i = 0; i < 12; i++) {
            statuses.add(get(i % 2 == 0 ? a : b, path, "198.51.100.77"));
        }

        assertThat(statuses.subList(0, 5)).containsOnly(200);
        assertThat(statuses.subList(5, statuses.size())).as("the budget of 5 is used up on both members").containsOnly(429);
        assertThat(get(b, path, "203.0.113.9")).as("another client's budget is its own").isEqualTo(200);
    }

    @Test
    void theDoubleOptInLimitOfOnePer24HoursHoldsAcrossMembers() {
        String id = createContact(a);

        var first = new ApiClient(a).post("/api/contacts/" + id + "/double-opt-in-requests", TestKeys.USER, "");
        var second = new ApiClient(b).post("/api/contacts/" + id + "/double-opt-in-requests", TestKeys.USER, "");

        assertThat(first.status()).as(first.text()).isEqualTo(202);
        assertThat(second.status()).as(second.text()).isEqualTo(409);
        assertThat(second.json().get("message").asText()).contains("already requested");
    }
}
