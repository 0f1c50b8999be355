package io.consenthub.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.consenthub.contact.ContactId;
import io.consenthub.email.EmailPayload;
import io.consenthub.decision.Act;
import io.consenthub.decision.ConsentDecisions;
import io.consenthub.decision.EmailKind;
import io.consenthub.consent.optin.EmailOptInStatus;
import io.consenthub.outbox.OutboxMessage;
import io.consenthub.support.ContactFixtures;
import io.consenthub.support.HubTest;
import io.consenthub.support.PostgresTestDatabase;
import io.consenthub.support.RequiresPostgres;
import io.consenthub.support.TestMailServer;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Benchmark, not a test (run only by {@code mvn -Pbench test}): the campaign delivery route with the
 * consent gate against the same route without it, to one local SMTP sink, same messages, same run,
 * on PostgreSQL. Also the gate's decision latency. Reports ratios and percentiles.
 */
@ExtendWith(RequiresPostgres.class)
@HubTest
@Import(ContactFixtures.class)
@TestPropertySource(properties = "consent-hub.email.delivery-enabled=false")
class CampaignGateBenchmark {

    private static final int CONTACTS = 1_000;
    private static final int ROUNDS = 3;

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.register(registry, "consent_hub_bench_gate");
    }

    @Autowired
    CamelContext camel;
    @Autowired
    ProducerTemplate producer;
    @Autowired
    ContactFixtures fixtures;
    @Autowired
    ConsentDecisions decisions;
    @Autowired
    ObjectMapper json;

    @Test
    void gatedCampaignRouteAgainstTheSameRouteWithoutTheGate() throws Exception {
        TestMailServer.get();
        String smtp = "smtp://127.0.0.1:" + TestMailServer.SMTP_PORT + "?javaMailSender=#smtpSender";
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:bench-gated").routeId("bench-gated")
                        .bean("emailDelivery", "prepare").policy("consentGate")
                        .bean("emailComposer", "compose").to(smtp);
                from("direct:bench-ungated").routeId("bench-ungated")
                        .bean("emailDelivery", "prepare")
                        .bean("emailComposer", "compose").to(smtp);
            }
        });
        List<ContactId> contacts = new ArrayList<>();
        for (int i = 0; i < CONTACTS; i++) {
            contacts.add(fixtures.contact(ContactFixtures.uniqueEmail("bench-" + i), EmailOptInStatus.DOUBLE_OPT_IN, "newsletter"));
        }
        String payload = json.writeValueAsString(new EmailPayload(EmailKind.CAMPAIGN, "Benchmark", "Hello", null, "newsletter",
                null, null, "bench"));
        send("direct:bench-ungated", contacts, payload);
        send("direct:bench-gated", contacts, payload);
        double[] ratios = new double[ROUNDS];
        double[] gated = new double[ROUNDS];
        double[] ungated = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            ungated[r] = send("direct:bench-ungated", contacts, payload);
            gated[r] = send("direct:bench-gated", contacts, payload);
            ratios[r] = gated[r] / ungated[r];
        }
        long[] decisionNanos = new long[contacts.size() * 5];
        for (int i = 0; i < decisionNanos.length; i++) {
            long start = System.nanoTime();
            decisions.decide(contacts.get(i % contacts.size()), new Act.SendEmail(EmailKind.CAMPAIGN, "newsletter", List.of()));
            decisionNanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(ratios);
        Arrays.sort(gated);
        Arrays.sort(ungated);
        Arrays.sort(decisionNanos);
        String report = """
                campaign route with the consent gate vs without (PostgreSQL store, GreenMail SMTP sink, reused connection,
                %d messages x %d rounds)
                  without gate: %.0f msg/s (median)
                  with gate:    %.0f msg/s (median)
                  ratio gated/ungated: %.2f (median; min %.2f, max %.2f)
                  gate decision: p50 %.3f ms, p99 %.3f ms (%d decisions)
                  machine: %s
                """.formatted(CONTACTS, ROUNDS, ungated[ROUNDS / 2], gated[ROUNDS / 2], ratios[ROUNDS / 2], ratios[0],
                ratios[ROUNDS - 1], decisionNanos[decisionNanos.length / 2] / 1e6,
                decisionNanos[(int) (decisionNanos.length * 0.99)] / 1e6, decisionNanos.length, Machine.describe());
        System.out.println(report);
        Path out = Path.of("target", "bench", "campaign-gate.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
    }

    private double send(String route, List<ContactId> contacts, String payload) {
        long start = System.nanoTime();
        for (ContactId contact : contacts) {
            var message = new OutboxMessage(0, "<" + UUID.randomUUID() + "@bench>", "EMAIL", "CAMPAIGN", contact, null,
                    payload, 1, Instant.now());
            producer.sendBody(route, message);
        }
        return contacts.size() / ((System.nanoTime() - start) / 1e9);
    }
}
