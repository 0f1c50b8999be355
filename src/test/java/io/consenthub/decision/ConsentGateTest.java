package io.consenthub.decision;

import io.consenthub.consent.optin.EmailOptInStatus;
import io.consenthub.contact.ContactId;
import io.consenthub.support.ContactFixtures;
import io.consenthub.support.HubTest;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The consent gate as a route sees it: it decides the question the hub's own code put in an
 * exchange property, and nothing a header says. A message that carries only headers (as anything
 * arriving from outside could) is refused as unasked and recorded; nothing reaches the delivery step.
 */
@HubTest
class ConsentGateTest {

    @Autowired
    CamelContext camel;
    @Autowired
    ProducerTemplate producer;
    @Autowired
    ContactFixtures fixtures;
    @Autowired
    JdbcTemplate db;

    @BeforeEach
    void gatedRoute() throws Exception {
        if (camel.getRoute("gate-under-test") == null) {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:gate-under-test").routeId("gate-under-test")
                            .onException(ConsentRefusedException.class).handled(true).to("mock:refused").end()
                            .policy("consentGate").to("mock:delivered");
                }
            });
        }
        MockEndpoint.resetMocks(camel);
    }

    @Test
    void headersNamingAnActAndAContactAreNotAQuestion() throws Exception {
        ContactId optedOut = fixtures.contact(ContactFixtures.uniqueEmail("gate-h"), EmailOptInStatus.OPT_OUT_CONTACT);
        camel.getEndpoint("mock:delivered", MockEndpoint.class).expectedMessageCount(0);
        camel.getEndpoint("mock:refused", MockEndpoint.class).expectedMessageCount(1);

        producer.send("direct:gate-under-test", exchange -> {
            exchange.getMessage().setHeader("ConsentHubContactId", optedOut.toString());
            exchange.getMessage().setHeader("ConsentHubEmailKind", "NOTICE");
            exchange.getMessage().setHeader(GateQuestion.PROPERTY, "NOTICE");
        });

        MockEndpoint.assertIsSatisfied(camel);
        assertThat(db.queryForList("select rule from gate_refusal where subject = 'unasked'", String.class)).contains("missing-question");
    }

    @Test
    void theQuestionInTheExchangePropertyDecidesWhateverTheHeadersSay() throws Exception {
        ContactId optedOut = fixtures.contact(ContactFixtures.uniqueEmail("gate-p"), EmailOptInStatus.OPT_OUT_CONTACT);
        camel.getEndpoint("mock:delivered", MockEndpoint.class).expectedMessageCount(1);
        camel.getEndpoint("mock:refused", MockEndpoint.class).expectedMessageCount(1);

        Exchange refused = producer.send("direct:gate-under-test", exchange -> {
            exchange.getMessage().setHeader("ConsentHubEmailKind", "NOTICE");
            new GateQuestion(optedOut, new Act.SendEmail(EmailKind.AD_HOC, null, List.of()), "m-1").askOn(exchange);
        });
        Exchange allowed = producer.send("direct:gate-under-test", exchange -> {
            exchange.getMessage().setHeader("ConsentHubEmailKind", "CAMPAIGN");
            new GateQuestion(optedOut, Act.SendEmail.of(EmailKind.NOTICE), "m-2").askOn(exchange);
        });

        MockEndpoint.assertIsSatisfied(camel);
        assertThat(refused.getProperty(Exchange.EXCEPTION_CAUGHT, ConsentRefusedException.class).decision().rule()).isEqualTo("opted-out");
        assertThat(allowed.getProperty(GateQuestion.ALLOWED_BY, String.class)).isEqualTo("notice-of-contacts-own-act");
    }
}
