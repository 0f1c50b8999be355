package io.consenthub.bench;

import io.consenthub.contact.ContactId;
import io.consenthub.outbox.Outbox;
import io.consenthub.outbox.OutboxMessage;
import io.consenthub.partner.PartnerShares;
import io.consenthub.support.ApiClient;
import io.consenthub.support.ContactFixtures;
import io.consenthub.support.HubTest;
import io.consenthub.support.PartnerPurposes;
import io.consenthub.support.PartnerStandIn;
import io.consenthub.support.PostgresTestDatabase;
import io.consenthub.support.RequiresPostgres;
import io.consenthub.support.TestKeys;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Benchmark, not a test (run only by {@code mvn -Pbench test}), on PostgreSQL, to partner stand-ins
 * on loopback (issue 13, item 9):
 * <ul>
 *   <li>share throughput of the shipped delivery route ({@code direct:deliver-to-partner}: the
 *   contact's fence, the consent gate, payload, signature, POST, acknowledgement recorded) against
 *   the same route without the gate and the signature (the fence kept: it is the transaction the
 *   acknowledgement is recorded in); same claimed outbox shares, same run, ratio reported;</li>
 *   <li>the time from a revocation's commit (the API's answer) to the last of its partners'
 *   acknowledgements (the hub recording the notice delivered), with three partners, at the shipped
 *   poll period.</li>
 * </ul>
 * The three partners are acme (config/partners.yaml) and two more ({@link PartnerPurposes}), each
 * with its own custom purpose.
 */
@ExtendWith(RequiresPostgres.class)
@HubTest
@Import(ContactFixtures.class)
class PartnerSharingBenchmark {

    private static final int CONTACTS = 500;
    private static final int ROUNDS = 5;
    private static final int REVOCATIONS = 200;
    private static final int REVOCATIONS_PER_SECOND = 10;
    private static final List<String> PARTNERS = List.of("acme", "beta", "gamma");
    private static final Map<String, PartnerStandIn> STAND_INS = new LinkedHashMap<>();

    static {
        PARTNERS.forEach(p -> STAND_INS.put(p, new PartnerStandIn()));
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.register(registry, "consent_hub_bench_partner");
        registry.add("spring.datasource.hikari.maximum-pool-size", () -> "10");
        PartnerPurposes.properties(List.of("beta", "gamma"), "unused").forEach((name, value) -> {
            if (!name.endsWith(".url")) {
                registry.add(name, () -> value);
            }
        });
        for (String id : PARTNERS) {
            String at = "consent-hub.partner-sharing.partners." + id + ".";
            registry.add(at + "url", STAND_INS.get(id)::url);
            registry.add(at + "signing.secret", () -> PartnerStandIn.SECRET);
        }
    }

    private static String purpose(String partner) {
        return PartnerPurposes.purpose(partner);
    }

    @AfterAll
    static void stop() {
        STAND_INS.values().forEach(PartnerStandIn::close);
    }

    @LocalServerPort
    int port;
    @Autowired
    CamelContext camel;
    @Autowired
    ProducerTemplate producer;
    @Autowired
    Outbox outbox;
    @Autowired
    PartnerShares shares;
    @Autowired
    JdbcTemplate db;
    @Autowired
    ContactFixtures fixtures;

    private ApiClient api() {
        return new ApiClient(port);
    }

    private String contact(int i) {
        var created = api().post("/api/contacts", TestKeys.USER, ApiClient.json(Map.of(
                "email", "bench-" + i + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org",
                "attributes", Map.of("firstName", "Bench" + i))));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    private void answer(String contact, String purpose, boolean granted) {
        var answer = api().post("/api/contacts/" + contact + "/consents", TestKeys.USER,
                ApiClient.json(Map.of("purpose", purpose, "granted", granted)));
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    }

    private long count(String sql, Object... params) {
        return db.queryForObject(sql, Long.class, params);
    }

    @Test
    void gatedSignedShareRouteAgainstTheSameRouteWithoutGateAndSignatureAndRevocationToLastAcknowledgement() throws Exception {
        String http = "http://partner-${exchangeProperty.ConsentHubPartner}?throwExceptionOnFailure=false"
                + "&connectTimeout=${exchangeProperty.ConsentHubPartnerConnectTimeout}"
                + "&responseTimeout=${exchangeProperty.ConsentHubPartnerTimeout}";
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:bench-fenced-unsigned").routeId("bench-fenced-unsigned")
                        .bean("partnerDelivery", "prepare")
                        .policy("partnerFence")
                            .bean("partnerDelivery", "payload").toD(http).bean("partnerDelivery", "acknowledged")
                        .end();
            }
        });

        long began = System.nanoTime();
        // throughput: the poller stopped, shares claimed here and handed to each route in turn
        camel.getRouteController().stopRoute("partner-outbox-poller");
        STAND_INS.values().forEach(s -> s.verifySignatures(false));
        var contacts = new ArrayList<ContactId>();
        for (int i = 0; i < CONTACTS; i++) {
            String id = contact(i);
            answer(id, purpose("acme"), true);
            contacts.add(ContactId.parse(id));
        }
        await().atMost(Duration.ofMinutes(2)).until(() -> count("select count(*) from outbox where kind = ? and status = 'PENDING'",
                PartnerShares.SHARE) == CONTACTS);
        System.out.println("bench: shares waiting after " + (System.nanoTime() - began) / 1_000_000_000 + " s");
        var routes = List.of("direct:deliver-to-partner", "direct:bench-fenced-unsigned");
        var rates = new double[routes.size()][ROUNDS];
        for (String route : routes) {
            deliver(route, contacts); // warm-up
        }
        for (int r = 0; r < ROUNDS; r++) {
            for (int v = 0; v < routes.size(); v++) {
                rates[v][r] = deliver(routes.get(v), contacts);
            }
        }
        assertThat(STAND_INS.get("acme").received().stream().filter(x -> x.type().equals("contact.shared")).count())
                .isEqualTo((long) CONTACTS * (ROUNDS + 1) * routes.size());
        double[] vsUngated = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            vsUngated[r] = rates[0][r] / rates[1][r];
        }
        for (double[] rate : rates) {
            Arrays.sort(rate);
        }
        Arrays.sort(vsUngated);

        System.out.println("bench: throughput measured after " + (System.nanoTime() - began) / 1_000_000_000 + " s");
        // revocation to last acknowledgement: three partners, the shipped poller
        STAND_INS.values().forEach(s -> {
            s.verifySignatures(true);
            s.clear();
        });
        db.update("update outbox set status = 'CANCELLED' where kind = ? and status = 'PENDING'", PartnerShares.SHARE);
        camel.getRouteController().startRoute("partner-outbox-poller");
        var revoked = new ArrayList<String>();
        for (int i = 0; i < REVOCATIONS; i++) {
            String id = contact(CONTACTS + i);
            for (String p : PARTNERS) {
                answer(id, purpose(p), true);
            }
            revoked.add(id);
        }
        await().atMost(Duration.ofMinutes(3)).until(() -> STAND_INS.values().stream()
                .allMatch(s -> s.received().stream().filter(x -> x.type().equals("contact.shared")).count() >= REVOCATIONS));
        System.out.println("bench: three partners' shares delivered after " + (System.nanoTime() - began) / 1_000_000_000 + " s");
        var committed = new LinkedHashMap<String, Long>();
        long next = System.nanoTime();
        for (String id : revoked) {
            // one revocation every 1/RATE s, so what is measured is the fence and the poller, not a queue the benchmark made
            next += 1_000_000_000L / REVOCATIONS_PER_SECOND;
            // stop processing is the contact's own answer (the API refuses it to a user key), recorded as the preference page does
            fixtures.answerAsContact(ContactId.parse(id), "stop-processing", true);
            committed.put(id, System.currentTimeMillis() * 1000);
            LockSupport.parkNanos(next - System.nanoTime());
        }
        await().atMost(Duration.ofMinutes(3)).until(() -> count("select count(*) from outbox where kind = ? and status = 'DELIVERED'",
                PartnerShares.NOTICE) == (long) REVOCATIONS * PARTNERS.size());
        long[] micros = new long[REVOCATIONS];
        int i = 0;
        for (var entry : committed.entrySet()) {
            OffsetDateTime last = db.queryForObject("select max(finished_at) from outbox where kind = ? and contact_id = ? and status = 'DELIVERED'",
                    OffsetDateTime.class, PartnerShares.NOTICE, UUID.fromString(entry.getKey()));
            var instant = last.toInstant();
            micros[i++] = instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1000 - entry.getValue();
        }
        Arrays.sort(micros);
        String pollPeriod = camel.resolvePropertyPlaceholders("{{consent-hub.partner-sharing.poll-period:250}}");

        String report = """
                partner share delivery (PostgreSQL store, partner stand-in on loopback, one thread, %d shares x %d rounds)
                  shipped route (fence, gate, payload, signature, POST, ack): %.0f shares/s (median)
                  same route without gate and signature (fence kept):        %.0f shares/s (median)
                  ratio shipped / without gate and signature: %.2f (median; min %.2f, max %.2f)
                revocation (stop-processing) commit to the last of 3 partners' acknowledgements, %d revocations at %d/s, poll period %s ms:
                  p50 %.0f ms, p99 %.0f ms, max %.0f ms
                  machine: %s
                """.formatted(CONTACTS, ROUNDS, rates[0][ROUNDS / 2], rates[1][ROUNDS / 2],
                vsUngated[ROUNDS / 2], vsUngated[0], vsUngated[ROUNDS - 1],
                REVOCATIONS, REVOCATIONS_PER_SECOND, pollPeriod, micros[REVOCATIONS / 2] / 1e3, micros[(int) (REVOCATIONS * 0.99)] / 1e3,
                micros[REVOCATIONS - 1] / 1e3, Machine.describe());
        System.out.println(report);
        Path out = Path.of("target", "bench", "partner-sharing.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
    }

    /** Claims every waiting share, hands each to the route, then asks for the next round's shares (untimed). */
    private double deliver(String route, List<ContactId> contacts) {
        List<OutboxMessage> claimed = outbox.claim(PartnerShares.SHARE, contacts.size());
        assertThat(claimed).hasSize(contacts.size());
        long start = System.nanoTime();
        for (OutboxMessage message : claimed) {
            producer.sendBody(route, message);
        }
        double rate = claimed.size() / ((System.nanoTime() - start) / 1e9);
        assertThat(count("select count(*) from outbox where kind = ? and status = 'IN_FLIGHT'", PartnerShares.SHARE))
                .as("every share acknowledged through " + route).isZero();
        for (ContactId contact : contacts) {
            assertThat(shares.request(contact, "acme", "benchmark").outcome()).isEqualTo(PartnerShares.Requested.ENQUEUED);
        }
        return rate;
    }
}
