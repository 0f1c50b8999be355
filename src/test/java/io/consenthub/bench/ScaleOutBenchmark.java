package io.consenthub.bench;

import io.consenthub.cluster.HubProcesses;
import io.consenthub.support.ApiClient;
import io.consenthub.support.PostgresTestDatabase;
import io.consenthub.support.RequiresPostgres;
import io.consenthub.support.TestKeys;
import io.consenthub.support.TestMailServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * Benchmark, not a test (run only by {@code mvn -Pbench test}): campaign delivery throughput of a
 * cluster of 1, 2 and 3 hub processes on one PostgreSQL (one GreenMail SMTP sink in this JVM),
 * as ratios against 1 member measured in the same run; then, with 3 members, how long a revocation
 * on member A takes to be refused on member B (no decision cache: B reads PostgreSQL).
 *
 * <p>Each member claims up to 50 messages a tick; the poll period is 10 ms here (default 1 s), so
 * the number measured is the members' delivery capacity, not the poll pacing. All processes, the
 * database and the SMTP sink share the machine's cores: on 2 cores the third member has little left
 * to add.
 */
@ExtendWith(RequiresPostgres.class)
class ScaleOutBenchmark {

    private static final int RECIPIENTS = Integer.getInteger("bench.recipients", 3_000);
    private static final int ROUNDS = 2;
    private static final int REVOCATIONS = Integer.getInteger("bench.revocations", 300);
    private static int stale;

    @Test
    void campaignThroughputWithOneTwoAndThreeMembersAndRevocationPropagation() throws Exception {
        TestMailServer.get();
        try (var hubs = new HubProcesses("consent_hub_bench_scale", 5896, 3, Map.of(
                "consent-hub.sending-policy", "DOUBLE_AND_SINGLE_USER",
                "consent-hub.email.poll-period", "10"))) {
            var hub = new JdbcTemplate(new DriverManagerDataSource(PostgresTestDatabase.freshSchema("consent_hub_bench_scale"), "postgres", ""));
            hubs.start();
            hubs.subscribers(RECIPIENTS, "scale.example", hub);
            campaign(hubs, hub); // warm-up
            double[][] rates = new double[3][ROUNDS];
            for (int members = 1; members <= 3; members++) {
                if (members > 1) {
                    hubs.start();
                    int expected = members;
                    await().atMost(Duration.ofSeconds(60)).until(() -> hubs.nodes().get(0).members() == expected);
                    campaign(hubs, hub); // the new member's warm-up
                }
                for (int r = 0; r < ROUNDS; r++) {
                    rates[members - 1][r] = campaign(hubs, hub);
                    System.out.printf("scale-out: %d member(s), round %d: %.0f msg/s%n", members, r + 1, rates[members - 1][r]);
                }
            }
            long[][] measured = revocations(hubs, hub);
            long[] revocation = measured[0];
            long[] total = measured[1];
            Arrays.sort(revocation);
            Arrays.sort(total);
            double one = median(rates[0]);
            String report = """
                    campaign delivery with 1, 2, 3 hub processes on one PostgreSQL (%d messages a campaign, %d rounds each,
                    GreenMail SMTP sink in the benchmark JVM, email poll period 10 ms, batch 50)
                      1 member:  %.0f msg/s (rounds %s)
                      2 members: %.0f msg/s (rounds %s), ratio to 1 member %.2f
                      3 members: %.0f msg/s (rounds %s), ratio to 1 member %.2f
                    revocation on member A (opt-out over HTTP) -> refusal on member B (a double-opt-in request answered 409), %d contacts:
                      from A's answer to B's refusal: p50 %.1f ms, p99 %.1f ms, max %.1f ms
                      from sending the opt-out to B's refusal: p50 %.1f ms, p99 %.1f ms
                      stale answers (B not refusing after A answered): %d
                      machine: %s
                    """.formatted(RECIPIENTS, ROUNDS, one, Arrays.toString(round(rates[0])),
                    median(rates[1]), Arrays.toString(round(rates[1])), median(rates[1]) / one,
                    median(rates[2]), Arrays.toString(round(rates[2])), median(rates[2]) / one,
                    revocation.length, revocation[revocation.length / 2] / 1e6, revocation[(int) (revocation.length * 0.99)] / 1e6,
                    revocation[revocation.length - 1] / 1e6, total[total.length / 2] / 1e6, total[(int) (total.length * 0.99)] / 1e6,
                    stale, Machine.describe());
            System.out.println(report);
            Path out = Path.of("target", "bench", "scale-out.txt");
            Files.createDirectories(out.getParent());
            Files.writeString(out, report);
        }
    }

    /** One campaign to every subscriber; messages per second from the campaign's start to its last delivery. */
    private static double campaign(HubProcesses hubs, JdbcTemplate hub) throws Exception {
        TestMailServer.get().purgeEmailFromAllMailboxes();
        long before = delivered(hub);
        var api = new ApiClient(hubs.nodes().get(0).port());
        long start = System.nanoTime();
        var campaign = api.post("/api/campaigns", TestKeys.USER, ApiClient.json(Map.of("name", "scale", "list", "newsletter",
                "subject", "Scale-out", "text", "Hello {unsubscribeLink}")));
        if (campaign.status() >= 300) {
            throw new IllegalStateException(campaign.text());
        }
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(20)).until(() -> delivered(hub) - before >= RECIPIENTS);
        return RECIPIENTS / ((System.nanoTime() - start) / 1e9);
    }

    private static long delivered(JdbcTemplate hub) {
        return hub.queryForObject("select count(*) from outbox where kind = 'EMAIL' and status = 'DELIVERED'", Long.class);
    }

    /**
     * For each of fresh contacts: opt out on member A, then ask member B for a double-opt-in email
     * (the decision service refuses one to an opted-out contact). Returns the times from A's answer
     * to B's refusal and from sending the opt-out to B's refusal; a B answer other than 409 after
     * A's answer counts as stale. The first contact is a warm-up.
     */
    private static long[][] revocations(HubProcesses hubs, JdbcTemplate hub) throws Exception {
        List<String> ids = new ArrayList<>(hubs.subscribers(REVOCATIONS + 1, "revoke.example", hub));
        var a = new ApiClient(hubs.nodes().get(1).port());
        var b = new ApiClient(hubs.nodes().get(2).port());
        long[] nanos = new long[ids.size()];
        long[] totals = new long[ids.size()];
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            long start = System.nanoTime();
            var optOut = a.post("/api/contacts/" + id + "/opt-in-actions", TestKeys.USER, "{\"action\":\"SET_OPT_OUT_USER\"}");
            if (optOut.status() >= 300) {
                throw new IllegalStateException(optOut.text());
            }
            long answered = System.nanoTime();
            var refusal = b.post("/api/contacts/" + id + "/double-opt-in-requests", TestKeys.USER, "");
            long refused = System.nanoTime();
            nanos[i] = refused - answered;
            totals[i] = refused - start;
            if (refusal.status() != 409) {
                stale++;
            }
        }
        return new long[][] {Arrays.copyOfRange(nanos, 1, nanos.length), Arrays.copyOfRange(totals, 1, totals.length)};
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    private static long[] round(double[] values) {
        return Arrays.stream(values).mapToLong(Math::round).toArray();
    }
}
