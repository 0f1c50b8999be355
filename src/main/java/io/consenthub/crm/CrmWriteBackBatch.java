package io.consenthub.crm;

import io.consenthub.outbox.OutboxMessage;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects, as the write-back route's split goes through a claim, the write-backs that were staged
 * for a CRM taking many records per call ({@link CrmWriteBack#STAGED}); the route then hands the
 * list to {@link CrmWriteBack#writeStaged}. Messages delivered, refused or failed on their own add nothing.
 *
 * <p>The list travels in an exchange of its own, never in one of the split's: the split copies
 * the state of the exchange it gets back onto the poller's, and a message whose refusal or failure
 * the error handler took care of marks its exchange as handled, which ends the poller's route
 * there. Had the list ridden on that message's exchange, every write-back staged after it in the
 * claim would stay claimed, unsent, until its lease ran out.
 */
@Component("crmWriteBackBatch")
class CrmWriteBackBatch implements AggregationStrategy {

    private static final Logger log = LoggerFactory.getLogger(CrmWriteBackBatch.class);

    @Override
    @SuppressWarnings("unchecked")
    public Exchange aggregate(Exchange collected, Exchange next) {
        Exchange into = collected;
        if (into == null) {
            into = new DefaultExchange(next.getContext());
            into.getMessage().setBody(new ArrayList<>());
        }
        List<Object> staged = into.getMessage().getBody(List.class);
        Object one = next.getProperty(CrmWriteBack.STAGED);
        if (one != null) {
            staged.add(one);
        }
        if (next.getException() != null) {
            // Not even its failure could be recorded (the store failed): the message stays claimed
            // and is claimed again once its lease ends; the others of this claim go on.
            OutboxMessage message = next.getProperty(CrmWriteBack.OUTBOX_MESSAGE, OutboxMessage.class);
            log.error("CRM write-back{}: its outcome could not be recorded ({}), it is tried again once its claim lapses",
                    message == null ? "" : " of contact " + message.contactId() + " to " + message.destination(),
                    next.getException().getClass().getSimpleName());
        }
        return into;
    }
}
