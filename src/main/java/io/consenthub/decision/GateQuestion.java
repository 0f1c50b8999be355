package io.consenthub.decision;

import io.consenthub.contact.ContactId;
import org.apache.camel.Exchange;

import java.util.Objects;

/**
 * The question a delivery route puts to the {@code consentGate}: which act, for which contact,
 * for which outgoing message. It travels as an exchange property set by the hub's own prepare
 * step, never as a header: headers can arrive from outside (an HTTP client, a CRM reply), and a
 * caller must not be able to tell the gate what it is asking.
 *
 * @param reference the outgoing item's id (an outbox message id), kept with a refusal
 */
public record GateQuestion(ContactId contact, Act act, String reference) {

    /** The exchange property the question travels in. */
    public static final String PROPERTY = "ConsentHubGateQuestion";
    /** Set by the gate on an allowed exchange: the rule that allowed it. */
    public static final String ALLOWED_BY = "ConsentHubAllowedBy";

    public GateQuestion {
        Objects.requireNonNull(contact, "contact");
        Objects.requireNonNull(act, "act");
    }

    /** Puts the question on the exchange; called by the hub's own route beans only. */
    public void askOn(Exchange exchange) {
        exchange.setProperty(PROPERTY, this);
    }

    static GateQuestion on(Exchange exchange) {
        return exchange.getProperty(PROPERTY, GateQuestion.class);
    }
}
