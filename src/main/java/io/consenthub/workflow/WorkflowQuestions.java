package io.consenthub.workflow;

import io.consenthub.contact.ContactId;
import io.consenthub.decision.Act;
import io.consenthub.decision.GateQuestion;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

import java.util.UUID;

/**
 * Lets a workflow route written in YAML put its question to the {@code consentGate}: "may we use
 * this contact's data for purpose X?" ({@link Act.UsePurpose}), for the contact of a consent event.
 * The question travels as an exchange property the hub sets, never as a header.
 */
@Component("workflowQuestions")
public class WorkflowQuestions {

    /** Asks, for the event's contact, whether its data may be used for the custom purpose; the gate decides. */
    public void usePurpose(ConsentEventMessage event, String purpose, Exchange exchange) {
        new GateQuestion(new ContactId(UUID.fromString(event.contactId())), new Act.UsePurpose(purpose), event.eventId())
                .askOn(exchange);
    }
}
