package io.consenthub.decision;

import io.consenthub.contact.ContactId;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.spi.Policy;
import org.apache.camel.support.processor.DelegateAsyncProcessor;
import org.springframework.stereotype.Component;

/**
 * The Camel {@link Policy} every outbound email route wraps its sending steps in
 * ({@code - policy: ref: consentGate}). It asks {@link ConsentDecisions} with the message's
 * {@link GateHeaders}; a refusal is recorded with its rule and thrown as
 * {@link ConsentRefusedException} so the route handles it visibly, never dropping the message silently.
 */
@Component("consentGate")
public class ConsentGate implements Policy {

    private final ConsentDecisions decisions;
    private final Refusals refusals;
    private final Timer decisionTimer;

    ConsentGate(ConsentDecisions decisions, Refusals refusals, MeterRegistry meters) {
        this.decisions = decisions;
        this.refusals = refusals;
        this.decisionTimer = Timer.builder("consent_gate_decision").description("time to decide one message")
                .publishPercentiles(0.5, 0.99).register(meters);
    }

    @Override
    public void beforeWrap(Route route, NamedNode definition) {
        // nothing to prepare: the gate decides per message
    }

    @Override
    public Processor wrap(Route route, Processor processor) {
        return new DelegateAsyncProcessor(processor) {
            @Override
            public boolean process(Exchange exchange, AsyncCallback callback) {
                Decision decision;
                try {
                    decision = decisionTimer.record(() -> decide(exchange));
                } catch (RuntimeException e) {
                    exchange.setException(e);
                    callback.done(true);
                    return true;
                }
                if (!decision.allowed()) {
                    var message = exchange.getMessage();
                    String contact = message.getHeader(GateHeaders.CONTACT_ID, String.class);
                    refusals.record(contact == null ? null : ContactId.parse(contact),
                            "email:" + message.getHeader(GateHeaders.EMAIL_KIND, String.class), decision,
                            exchange.getFromRouteId(), message.getHeader(GateHeaders.MESSAGE_ID, String.class));
                    exchange.setException(new ConsentRefusedException(decision));
                    callback.done(true);
                    return true;
                }
                exchange.getMessage().setHeader(GateHeaders.ALLOWED_BY, decision.rule());
                return super.process(exchange, callback);
            }
        };
    }

    private Decision decide(Exchange exchange) {
        var message = exchange.getMessage();
        String contact = message.getHeader(GateHeaders.CONTACT_ID, String.class);
        String kind = message.getHeader(GateHeaders.EMAIL_KIND, String.class);
        if (contact == null || kind == null) {
            return Decision.refuse("missing-question", "the route did not say which contact (" + GateHeaders.CONTACT_ID
                    + ") and which email kind (" + GateHeaders.EMAIL_KIND + ") this message is");
        }
        EmailKind emailKind;
        try {
            emailKind = EmailKind.valueOf(kind);
        } catch (IllegalArgumentException e) {
            return Decision.refuse("unknown-email-kind", "'" + kind + "' is not an email kind");
        }
        return decisions.mayEmail(ContactId.parse(contact), emailKind, message.getHeader(GateHeaders.LIST, String.class),
                ConsentDecisions.split(message.getHeader(GateHeaders.REFERENCES, String.class)));
    }
}
