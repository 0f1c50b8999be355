package io.consenthub.consent.optin;

import io.consenthub.consent.ConsentChange;
import io.consenthub.consent.ConsentLedger;
import io.consenthub.consent.EventType;
import io.consenthub.consent.Evidence;
import io.consenthub.consent.PurposeCatalog;
import io.consenthub.contact.ContactDirectory;
import io.consenthub.contact.ContactId;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import java.util.ArrayList;
import java.util.Map;

/**
 * Applies opt-in actions to contacts: locks the contact, asks {@link OptInRules}, and appends the
 * resulting event to the ledger. A refusal throws before anything is written, so the caller's
 * transaction leaves the ledger as it was.
 */
@Service
public class EmailOptIn {

    private final ContactDirectory contacts;
    private final ConsentLedger ledger;

    EmailOptIn(ContactDirectory contacts, ConsentLedger ledger) {
        this.contacts = contacts;
        this.ledger = ledger;
    }

    /** Applies the action or throws {@link OptInRefusedException}, writing nothing, when the rules refuse it. */
    @Transactional(propagation = Propagation.MANDATORY)
    public OptInDecision apply(ContactId contact, OptInAction action, Evidence evidence) {
        OptInDecision decision = attempt(contact, action, evidence);
        if (decision.refused()) {
            throw new OptInRefusedException(status(contact), action, decision.reason());
        }
        return decision;
    }

    /** Applies the action if the rules allow it and returns their decision; a refusal writes nothing. */
    @Transactional(propagation = Propagation.MANDATORY)
    public OptInDecision attempt(ContactId contact, OptInAction action, Evidence evidence) {
        contacts.lock(contact);
        EmailOptInStatus current = status(contact);
        var context = new OptInContext(evidence.occurredAt(),
                ledger.lastEventAt(contact, EventType.DOUBLE_OPT_IN_REQUESTED),
                current == EmailOptInStatus.OPT_OUT_USER ? statusBeforeUserOptOut(contact) : null);
        OptInDecision decision = OptInRules.decide(current, action, evidence.actorKind(), context);
        if (decision.applies()) {
            ledger.append(change(contact, action, current, decision, evidence));
        }
        return decision;
    }

    /**
     * Applies one action to contacts created in the current transaction, with one ledger append
     * for all of them (a bulk CRM sync meets thousands of opt-outs). A new contact has no events
     * yet: its status is NONE and the rules need nothing else from the ledger, so the decisions
     * are the ones {@link #attempt} would make one by one. Returns how many were applied.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public int attemptForNew(OptInAction action, Map<ContactId, Evidence> created) {
        if (created.isEmpty()) {
            return 0;
        }
        if (ledger.anyHasState(created.keySet())) {
            throw new IllegalArgumentException("attemptForNew is for contacts without consent events; use attempt");
        }
        var changes = new ArrayList<ConsentChange>();
        created.forEach((contact, evidence) -> {
            OptInDecision decision = OptInRules.decide(EmailOptInStatus.NONE, action, evidence.actorKind(),
                    OptInContext.at(evidence.occurredAt()));
            if (decision.applies()) {
                changes.add(change(contact, action, EmailOptInStatus.NONE, decision, evidence));
            }
        });
        ledger.appendAll(changes);
        return changes.size();
    }

    private static ConsentChange change(ContactId contact, OptInAction action, EmailOptInStatus current,
                                        OptInDecision decision, Evidence evidence) {
        var type = action == OptInAction.REQUEST_DOUBLE_OPT_IN
                ? EventType.DOUBLE_OPT_IN_REQUESTED : EventType.OPT_IN_STATUS_CHANGED;
        String note = evidence.note() == null ? decision.reason() : decision.reason() + "; " + evidence.note();
        return new ConsentChange(contact, type, PurposeCatalog.EMAIL_OPT_IN_SUBJECT, decision.next().name(),
                current.name(), evidence.withNote(note));
    }

    @Transactional(propagation = Propagation.SUPPORTS, readOnly = true)
    public EmailOptInStatus status(ContactId contact) {
        String value = ledger.state(contact).get(PurposeCatalog.EMAIL_OPT_IN_SUBJECT);
        return EmailOptInStatus.ofStored(value);
    }

    private EmailOptInStatus statusBeforeUserOptOut(ContactId contact) {
        String before = ledger.valueBefore(contact, PurposeCatalog.EMAIL_OPT_IN_SUBJECT, EmailOptInStatus.OPT_OUT_USER.name());
        return before == null ? null : EmailOptInStatus.ofStored(before);
    }
}
