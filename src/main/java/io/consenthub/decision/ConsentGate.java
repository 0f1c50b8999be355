package io.consenthub.decision;

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
 * The Camel {@link Policy} every delivery route wraps its delivering steps in
 * ({@code - policy: ref: consentGate}): email, CRM write-back, and every later route that lets data
 * leave. It asks {@link ConsentDecisions} the {@link GateQuestion} the route's prepare step put in an
 * exchange property (never a header). A refusal is recorded with its rule and thrown as
 * {@link ConsentRefusedException} so the route handles it visibly, never dropping the message; an
 * exchange that carries no question is refused, so a route that forgets to ask sends nothing.
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
                GateQuestion question = GateQuestion.on(exchange);
                Decision decision;
                try {
                    decision = question == null ? unasked() : decisionTimer.record(() -> decisions.decide(question.contact(), question.act()));
                } catch (RuntimeException e) {
                    exchange.setException(e);
                    callback.done(true);
                    return true;
                }
                if (!decision.allowed()) {
                    refusals.record(question == null ? null : question.contact(),
                            question == null ? "unasked" : question.act().subject(), decision,
                            exchange.getFromRouteId(), question == null ? null : question.reference());
                    exchange.setException(new ConsentRefusedException(decision));
                    callback.done(true);
                    return true;
                }
                exchange.setProperty(GateQuestion.ALLOWED_BY, decision.rule());
                return super.process(exchange, callback);
            }
        };
    }

    private static Decision unasked() {
        return Decision.refuse("missing-question", "the route put no question (exchange property "
                + GateQuestion.PROPERTY + ") to the gate; nothing leaves unasked");
    }
}
