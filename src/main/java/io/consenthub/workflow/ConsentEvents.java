package io.consenthub.workflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.consenthub.consent.ConsentStateChanged;
import io.consenthub.consent.Purpose;
import io.consenthub.consent.PurposeCatalog;
import io.consenthub.outbox.NewOutboxMessage;
import io.consenthub.outbox.Outbox;
import io.consenthub.outbox.OutboxMessage;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Publishes every committed consent change to routes. The changes of one transaction are written,
 * just before it commits, as one outbox message of kind {@code consent-events} (so a crash loses
 * none, and an aborted transaction publishes nothing); {@code routes/workflow/consent-events} claims
 * them and hands each change to {@code seda:consent-events}, where every consuming route gets a
 * copy, waiting until all of them are done before the message counts as dispatched. A member that
 * dies meanwhile leaves the message to be dispatched again after its lease: at least once.
 */
@Component("consentEvents")
public class ConsentEvents {

    public static final String KIND = "consent-events";
    static final String MESSAGE = "ConsentHubConsentEventsMessage";
    private static final Logger log = LoggerFactory.getLogger(ConsentEvents.class);
    private static final TypeReference<List<ConsentEventMessage>> LIST = new TypeReference<>() {
    };

    private final Outbox outbox;
    private final PurposeCatalog catalog;
    private final ObjectMapper json;
    private final int batch;

    ConsentEvents(Outbox outbox, PurposeCatalog catalog, ObjectMapper json,
                  @Value("${consent-hub.events.batch:20}") int batch) {
        this.outbox = outbox;
        this.catalog = catalog;
        this.json = json;
        this.batch = batch;
    }

    @EventListener
    public void onConsentStateChanged(ConsentStateChanged change) {
        Purpose purpose = catalog.find(change.subject()).orElse(null);
        changedInThisTransaction().changes.add(new ConsentEventMessage("ce-" + change.seq(), change.contactId().value().toString(),
                change.seq(), change.type() == null ? null : change.type().name(), change.subject(),
                purpose == null ? null : purpose.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                purpose == null ? null : purpose.partner(), change.value(), change.previousValue(), null));
    }

    /** Claims waiting messages for the dispatch route. */
    public List<OutboxMessage> due() {
        return outbox.claim(KIND, batch);
    }

    /** The changes of one claimed message, in the order they were made. */
    public List<ConsentEventMessage> events(Exchange exchange) {
        OutboxMessage message = exchange.getMessage().getBody(OutboxMessage.class);
        exchange.setProperty(MESSAGE, message);
        try {
            return json.readValue(message.payload(), LIST).stream()
                    .map(e -> new ConsentEventMessage(e.eventId(), e.contactId(), e.seq(), e.type(), e.subject(), e.purposeKind(),
                            e.partner(), e.value(), e.previousValue(), message.createdAt()))
                    .toList();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored consent-events message could not be read", e);
        }
    }

    public void dispatched(Exchange exchange) {
        outbox.delivered(exchange.getProperty(MESSAGE, OutboxMessage.class));
    }

    /** A consumer failed: the whole message is dispatched again after the outbox's backoff (consumers tell repeats by eventId). */
    public void failed(Exchange exchange) {
        OutboxMessage message = exchange.getProperty(MESSAGE, OutboxMessage.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = cause == null ? "unknown error" : cause.getClass().getSimpleName();
        if (message == null) {
            log.error("consent-event dispatch failed before its message was known: {}", reason);
            return;
        }
        log.warn("consent-events {} dispatch attempt {} failed, will retry: {}", message.messageId(), message.attempts(), reason);
        outbox.failed(message, reason);
    }

    private void enqueue(List<ConsentEventMessage> changes) {
        if (changes.isEmpty()) {
            return;
        }
        try {
            outbox.enqueueAll(List.of(new NewOutboxMessage("consent-events:" + changes.get(0).seq(), KIND, "routes", null, null,
                    json.writeValueAsString(changes))));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("consent events could not be written", e);
        }
    }

    private ChangesInTransaction changedInThisTransaction() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            throw new IllegalStateException("consent changes are made in a transaction");
        }
        for (TransactionSynchronization registered : TransactionSynchronizationManager.getSynchronizations()) {
            if (registered instanceof ChangesInTransaction changes && changes.owner == this) {
                return changes;
            }
        }
        var changes = new ChangesInTransaction(this);
        TransactionSynchronizationManager.registerSynchronization(changes);
        return changes;
    }

    /** One transaction's changes, written once just before it commits. Identity equality, as Spring keeps these in a set. */
    private static final class ChangesInTransaction implements TransactionSynchronization {

        private final ConsentEvents owner;
        private final List<ConsentEventMessage> changes = new ArrayList<>();

        ChangesInTransaction(ConsentEvents owner) {
            this.owner = owner;
        }

        @Override
        public void beforeCommit(boolean readOnly) {
            owner.enqueue(changes);
        }
    }

}
