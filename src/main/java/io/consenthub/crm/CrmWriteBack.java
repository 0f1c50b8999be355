package io.consenthub.crm;

import io.consenthub.consent.ConsentRecords;
import io.consenthub.consent.ConsentStateChanged;
import io.consenthub.contact.Contact;
import io.consenthub.contact.ContactDirectory;
import io.consenthub.contact.ContactId;
import io.consenthub.contact.ContactNotFoundException;
import io.consenthub.contact.CrmLink;
import io.consenthub.decision.Act;
import io.consenthub.decision.GateQuestion;
import io.consenthub.outbox.NewOutboxMessage;
import io.consenthub.outbox.Outbox;
import io.consenthub.outbox.OutboxMessage;
import io.consenthub.outbox.OutboxStatus;
import io.consenthub.shared.InvalidInputException;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Writes the consents block back into every CRM that holds the contact (DESIGN §1.1: CRM users
 * see it on the record). A consent change enqueues one outbox message per linked CRM in the
 * change's own transaction; a message still waiting for the same CRM and contact already covers
 * the change, because delivery reads the contact's state at that moment, not at enqueue time.
 * The delivery route ({@code routes/crm/crm-write-back.camel.yaml}) claims, asks the consent gate,
 * writes and records the outcome of each message on its own.
 */
@Component("crmWriteBack")
public class CrmWriteBack {

    public static final String KIND = "CRM_WRITE_BACK";
    static final String OUTBOX_MESSAGE = "ConsentHubOutboxMessage";
    /** The exchange property holding a write-back staged for a CRM that takes many records per call. */
    public static final String STAGED = "ConsentHubCrmWriteBackStaged";
    private static final Logger log = LoggerFactory.getLogger(CrmWriteBack.class);

    private final CrmSettings settings;
    private final ContactDirectory contacts;
    private final ConsentRecords consents;
    private final Outbox outbox;
    private final CrmRecordStore records;
    private final CrmMetrics metrics;
    private final Map<String, CrmWriter> writers;
    private final int batch;

    CrmWriteBack(CrmSettings settings, ContactDirectory contacts, ConsentRecords consents, Outbox outbox,
                 CrmRecordStore records, CrmMetrics metrics, List<CrmWriter> writers,
                 @org.springframework.beans.factory.annotation.Value("${consent-hub.crm.write-back-batch:200}") int batch) {
        this.batch = batch;
        this.settings = settings;
        this.contacts = contacts;
        this.consents = consents;
        this.outbox = outbox;
        this.records = records;
        this.metrics = metrics;
        this.writers = writers.stream().collect(Collectors.toMap(CrmWriter::kind, Function.identity()));
    }

    /**
     * Notes the changed contact in the change's transaction; just before it commits, the
     * write-backs for everything it changed are enqueued together (see {@link ChangedInTransaction}).
     */
    @EventListener
    public void onConsentStateChanged(ConsentStateChanged change) {
        changedInThisTransaction().note(change);
    }

    /**
     * The CRMs a write-back of this contact waits for, enqueueing first what this transaction
     * changed (normally done just before commit): a dry run asks it inside the transaction it
     * then rolls back, to show what would be written back.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public List<String> pendingNow(ContactId contact) {
        ChangedInTransaction changed = changedInThisTransaction();
        enqueueAll(changed.lastSeq);
        changed.lastSeq.clear();
        return settings.connectors().keySet().stream().filter(id -> outbox.hasPending(KIND, id, contact)).sorted().toList();
    }

    private ChangedInTransaction changedInThisTransaction() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            throw new IllegalStateException("consent changes are made in a transaction");
        }
        for (TransactionSynchronization registered : TransactionSynchronizationManager.getSynchronizations()) {
            if (registered instanceof ChangedInTransaction changed && changed.owner() == this) {
                return changed;
            }
        }
        var changed = new ChangedInTransaction(this);
        TransactionSynchronizationManager.registerSynchronization(changed);
        return changed;
    }

    /**
     * The contacts one transaction changed, with the last event seq of each. Collected per
     * transaction (synchronizations are suspended with their transaction, so an inner
     * REQUIRES_NEW transaction keeps its own) and enqueued before commit with a few statements in
     * all, instead of several per event: a bulk sync changes thousands of contacts at once.
     * Identity equality, as Spring keeps synchronizations in a set while this one's map grows.
     */
    private static final class ChangedInTransaction implements TransactionSynchronization {

        private final CrmWriteBack owner;
        private final Map<ContactId, Long> lastSeq = new LinkedHashMap<>();

        ChangedInTransaction(CrmWriteBack owner) {
            this.owner = owner;
        }

        CrmWriteBack owner() {
            return owner;
        }

        void note(ConsentStateChanged change) {
            lastSeq.put(change.contactId(), change.seq());
        }

        @Override
        public void beforeCommit(boolean readOnly) {
            owner.enqueueAll(lastSeq);
        }
    }

    private void enqueueAll(Map<ContactId, Long> lastSeq) {
        var byConnector = new LinkedHashMap<String, List<ContactId>>();
        contacts.linkedConnectors(lastSeq.keySet()).forEach((contact, connectorIds) -> connectorIds.forEach(
                connectorId -> byConnector.computeIfAbsent(connectorId, k -> new ArrayList<>()).add(contact)));
        var messages = new ArrayList<NewOutboxMessage>();
        byConnector.forEach((connectorId, changed) -> {
            CrmSettings.Connector connector = settings.connectors().get(connectorId);
            if (connector == null || !connector.writesBack()) {
                return;
            }
            Set<ContactId> pending = outbox.pendingFor(KIND, connectorId, changed);
            changed.stream().filter(contact -> !pending.contains(contact)).forEach(contact -> messages.add(
                    message(connectorId, contact, "seq-" + lastSeq.get(contact))));
        });
        outbox.enqueueAll(messages);
    }

    private static NewOutboxMessage message(String connectorId, ContactId contact, String cause) {
        return new NewOutboxMessage("crm-write-back:" + connectorId + ":" + contact.value() + ":" + cause,
                KIND, connectorId, contact, null, "{}");
    }

    /**
     * Enqueues a write-back of the contact's current state to one CRM, unless one is already
     * waiting; {@code cause} (an event's seq, a link) makes the idempotency key.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void enqueue(ContactId contact, String connectorId, String cause) {
        CrmSettings.Connector connector = settings.connectors().get(connectorId);
        if (connector == null || !connector.writesBack() || outbox.hasPending(KIND, connectorId, contact)) {
            return;
        }
        outbox.enqueue(message(connectorId, contact, cause));
    }

    /**
     * Claims the write-backs that are due ({@code consent-hub.crm.write-back-batch} at a time,
     * default 200: one sObject Collections call's worth); the route splits them and delivers each
     * on its own, or stages it for a CRM that takes many records per call.
     */
    public List<OutboxMessage> due() {
        return outbox.claim(KIND, batch);
    }

    /**
     * Puts the consent gate's question on the exchange: may this contact's consents block be
     * written back to this CRM now? (An exchange property, never a header.)
     */
    public void prepare(Exchange exchange) {
        OutboxMessage message = exchange.getMessage().getBody(OutboxMessage.class);
        exchange.setProperty(OUTBOX_MESSAGE, message);
        new GateQuestion(message.contactId(), new Act.WriteBackToCrm(message.destination()), message.messageId())
                .askOn(exchange);
    }

    /**
     * Writes the contact's consents block, as it stands now, into each of its records in the CRM.
     * A write-back that cannot be written at all (connector not writing back, no record, deleted or
     * not found in the CRM by its {@code exists-query}) throws {@link NotWritable}: final, never retried.
     */
    public void write(Exchange exchange) {
        OutboxMessage message = exchange.getProperty(OUTBOX_MESSAGE, OutboxMessage.class);
        String connectorId = message.destination();
        CrmSettings.Connector connector = settings.connectors().get(connectorId);
        CrmWriter writer = connector == null ? null : writers.get(connector.kind());
        if (writer == null || !connector.writesBack()) {
            throw new NotWritable("CRM connector '" + connectorId + "' is not configured to write back");
        }
        Contact contact;
        try {
            contact = contacts.get(message.contactId());
        } catch (ContactNotFoundException e) {
            throw new NotWritable("the contact no longer exists");
        }
        var values = WriteBackValues.of(consents.block(contact.id()));
        if (writer.recordsPerCall() > 1) {
            stage(exchange, message, connector, contact, values);
            return;
        }
        var unwritten = new ArrayList<String>();
        int written = 0;
        for (CrmLink link : liveLinks(contact, connectorId, unwritten)) {
            boolean raised = values.emailOptOut() && records.optOutRaisedByHub(link.connectorId(), link.externalId());
            boolean done;
            try {
                done = writer.write(connectorId, connector, link.externalId(), forRecord(connector, link, values));
            } catch (RuntimeException e) {
                undoRaised(raised, link);
                throw e;
            }
            if (done) {
                written++;
            } else {
                undoRaised(raised, link);
                unwritten.add(link.externalId() + " was not found in the CRM");
            }
        }
        if (written == 0) {
            throw new NotWritable(unwritten.isEmpty() ? "the contact has no record in this CRM" : String.join("; ", unwritten));
        }
    }

    /**
     * A write-back for a CRM that takes many records per call: its records' values are staged on
     * the exchange ({@link #STAGED}), to go out with the others of this claim in
     * {@link #writeStaged}, once the gate has let it through like any other.
     */
    private void stage(Exchange exchange, OutboxMessage message, CrmSettings.Connector connector, Contact contact,
                       WriteBackValues values) {
        String connectorId = message.destination();
        var writes = new ArrayList<CrmWriter.RecordWrite>();
        var raised = new ArrayList<String>();
        var unwritten = new ArrayList<String>();
        for (CrmLink link : liveLinks(contact, connectorId, unwritten)) {
            if (values.emailOptOut() && records.optOutRaisedByHub(connectorId, link.externalId())) {
                raised.add(link.externalId());
            }
            writes.add(new CrmWriter.RecordWrite(link.externalId(), forRecord(connector, link, values)));
        }
        if (writes.isEmpty()) {
            throw new NotWritable(unwritten.isEmpty() ? "the contact has no record in this CRM" : String.join("; ", unwritten));
        }
        exchange.setProperty(STAGED, new Staged(message, writes, raised, unwritten));
    }

    /** The contact's records in this CRM that are not known as deleted there; the others noted in {@code unwritten}. */
    private List<CrmLink> liveLinks(Contact contact, String connectorId, List<String> unwritten) {
        var live = new ArrayList<CrmLink>();
        for (CrmLink link : contact.crmLinks()) {
            if (!link.connectorId().equals(connectorId)) {
                continue;
            }
            if (records.deletedInCrm(connectorId, link.externalId())) {
                unwritten.add(link.externalId() + " is deleted in the CRM");
            } else {
                live.add(link);
            }
        }
        return live;
    }

    /** A gated write-back waiting for its CRM call: the message, its records' values, the flags noted as the hub's. */
    record Staged(OutboxMessage message, List<CrmWriter.RecordWrite> writes, List<String> raised, List<String> unwritten) {
    }

    /**
     * Sends the write-backs staged in this claim, per CRM, in as few calls as the CRM takes (a
     * contact's records stay in one call), and records each message's outcome from its own
     * records' results: written, refused for good with the CRM's error code, retried with backoff,
     * or postponed without counting the attempt while the CRM refuses every call. One record's
     * failure never sends another contact's write-back again.
     */
    public void writeStaged(List<?> claimed) {
        var byConnector = new LinkedHashMap<String, List<Staged>>();
        for (Object item : claimed == null ? List.of() : claimed) {
            if (item instanceof Staged staged) {
                byConnector.computeIfAbsent(staged.message().destination(), id -> new ArrayList<>()).add(staged);
            }
        }
        byConnector.forEach((connectorId, staged) -> {
            CrmSettings.Connector connector = settings.connectors().get(connectorId);
            CrmWriter writer = writers.get(connector.kind());
            var call = new ArrayList<Staged>();
            int size = 0;
            for (Staged one : staged) {
                if (!call.isEmpty() && size + one.writes().size() > writer.recordsPerCall()) {
                    send(connectorId, connector, writer, call);
                    call = new ArrayList<>();
                    size = 0;
                }
                call.add(one);
                size += one.writes().size();
            }
            if (!call.isEmpty()) {
                send(connectorId, connector, writer, call);
            }
        });
    }

    private void send(String connectorId, CrmSettings.Connector connector, CrmWriter writer, List<Staged> call) {
        List<CrmWriter.RecordWrite> writes = call.stream().flatMap(staged -> staged.writes().stream()).toList();
        List<CrmWriter.RecordResult> results;
        try {
            results = writer.writeAll(connectorId, connector, writes);
        } catch (RuntimeException e) {
            String reason = FailureText.of(e);
            results = writes.stream().map(w -> new CrmWriter.RecordResult(CrmWriter.RecordResult.Outcome.RETRY, reason, null)).toList();
        }
        int at = 0;
        for (Staged staged : call) {
            List<CrmWriter.RecordResult> own = results.subList(at, at + staged.writes().size());
            at += staged.writes().size();
            try {
                outcome(staged, own);
            } catch (RuntimeException e) {
                // The outcome of one message that cannot be recorded (the lease ran out, the store
                // failed) leaves it to be claimed again; it stops none of the others.
                log.error("CRM {} write-back of contact {}: its outcome could not be recorded ({})", connectorId,
                        staged.message().contactId(), e.getClass().getSimpleName());
            }
        }
    }

    private void outcome(Staged staged, List<CrmWriter.RecordResult> results) {
        OutboxMessage message = staged.message();
        String connectorId = message.destination();
        var notes = new ArrayList<>(staged.unwritten());
        int written = 0;
        boolean retry = false;
        java.time.Instant postponeUntil = null;
        for (int i = 0; i < results.size(); i++) {
            String externalId = staged.writes().get(i).externalId();
            CrmWriter.RecordResult result = results.get(i);
            switch (result.outcome()) {
                case WRITTEN -> written++;
                case NOT_FOUND -> notes.add(externalId + " was not found in the CRM" + (result.reason() == null ? "" : " (" + result.reason() + ")"));
                case REFUSED -> notes.add(externalId + " refused by the CRM: " + result.reason());
                case RETRY, WRITTEN_FOLLOW_UP_OWED -> {
                    retry = true;
                    notes.add(externalId + ": " + result.reason());
                }
                case POSTPONED -> {
                    postponeUntil = postponeUntil == null || result.retryAt().isAfter(postponeUntil) ? result.retryAt() : postponeUntil;
                    notes.add(externalId + ": " + result.reason());
                }
            }
            if (!result.fieldsWritten() && staged.raised().contains(externalId)) {
                records.hubRaisedOptOutUndone(connectorId, externalId);
            }
        }
        String reason = LogText.clean(String.join("; ", notes));
        if (postponeUntil != null) {
            log.info("CRM {} write-back of contact {} postponed until {}: {}", connectorId, message.contactId(), postponeUntil, reason);
            outbox.postponed(message, postponeUntil, reason);
            metrics.writeBack(connectorId, "postponed");
        } else if (retry) {
            log.warn("CRM {} write-back of contact {} failed (attempt {}), will retry: {}", connectorId, message.contactId(),
                    message.attempts(), reason);
            outbox.failed(message, reason);
            metrics.writeBack(connectorId, "failed");
        } else if (written > 0) {
            outbox.delivered(message, notes.isEmpty() ? null : reason);
            metrics.writeBack(connectorId, "delivered");
        } else {
            log.info("CRM {} write-back of contact {} not written: {}", connectorId, message.contactId(), reason);
            outbox.refused(message, reason);
            metrics.writeBack(connectorId, "refused");
        }
    }

    /**
     * A write that did not happen raised no flag: the note is taken back, or a real opt-out the
     * CRM's users set later would be taken for the hub's own and ignored.
     */
    private void undoRaised(boolean raised, CrmLink link) {
        if (raised) {
            records.hubRaisedOptOutUndone(link.connectorId(), link.externalId());
        }
    }

    /**
     * The values for one record. An opt-out the write-back carries is noted as the hub's own
     * raising of the record's flag (before the write, see {@link CrmRecordStore#optOutRaisedByHub}),
     * so the sync does not read it back as the CRM's opt-out; with {@code clear-hub-raised-opt-out}
     * a contact no longer opted out gets that flag cleared.
     */
    private WriteBackValues forRecord(CrmSettings.Connector connector, CrmLink link, WriteBackValues values) {
        if (values.emailOptOut()) {
            return values;
        }
        return values.forRecord(connector.writeBack().clearHubRaisedOptOut()
                && records.optOutFlag(link.connectorId(), link.externalId()) == CrmRecordStore.OptOutFlag.HUB);
    }

    /**
     * A connector's write-backs and their outcomes, newest first: {@code status} pending (waiting
     * or being retried; the last attempt's error as reason), delivered, refused or failed (retries
     * exhausted), or null for all; {@code before} pages on from the last id of the previous page.
     */
    public List<Map<String, Object>> outcomes(String connectorId, String status, Long before, int limit) {
        List<OutboxStatus> statuses = switch (status == null ? "all" : status) {
            case "pending" -> List.of(OutboxStatus.PENDING, OutboxStatus.IN_FLIGHT);
            case "delivered" -> List.of(OutboxStatus.DELIVERED);
            case "refused" -> List.of(OutboxStatus.REFUSED, OutboxStatus.CANCELLED);
            case "failed" -> List.of(OutboxStatus.FAILED);
            case "all" -> List.of(OutboxStatus.values());
            default -> throw new InvalidInputException("status must be pending, delivered, refused or failed, not '"
                    + LogText.clean(status) + "'");
        };
        return outbox.list(KIND, connectorId, statuses, before, limit);
    }

    public void delivered(Exchange exchange) {
        OutboxMessage message = exchange.getProperty(OUTBOX_MESSAGE, OutboxMessage.class);
        outbox.delivered(message);
        metrics.writeBack(message.destination(), "delivered");
    }

    /** A write-back the gate refused or that cannot be written: recorded as REFUSED, never retried. */
    public void refused(Exchange exchange) {
        OutboxMessage message = exchange.getProperty(OUTBOX_MESSAGE, OutboxMessage.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = cause == null ? "refused" : FailureText.of(cause);
        log.info("CRM {} write-back of contact {} not written: {}", message.destination(), message.contactId(), reason);
        outbox.refused(message, reason);
        metrics.writeBack(message.destination(), "refused");
    }

    /** Any other failure (CRM down, a field error): retried with the outbox's backoff. */
    public void failed(Exchange exchange) {
        OutboxMessage message = exchange.getProperty(OUTBOX_MESSAGE, OutboxMessage.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (message == null) {
            log.error("CRM write-back failed before its outbox message was known", cause);
            return;
        }
        String reason = FailureText.of(cause);
        log.warn("CRM {} write-back of contact {} failed (attempt {}), will retry: {}", message.destination(),
                message.contactId(), message.attempts(), reason);
        outbox.failed(message, reason);
        metrics.writeBack(message.destination(), "failed");
    }

    /** A write-back that can never succeed as it stands; the route records it as refused. */
    public static final class NotWritable extends RuntimeException {
        NotWritable(String reason) {
            super(reason);
        }
    }
}
