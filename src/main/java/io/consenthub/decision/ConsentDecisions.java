package io.consenthub.decision;

import io.consenthub.consent.ContactState;
import io.consenthub.consent.ContactStates;
import io.consenthub.consent.Purpose;
import io.consenthub.consent.PurposeCatalog;
import io.consenthub.consent.PurposeKind;
import io.consenthub.consent.optin.SendingPolicy;
import io.consenthub.contact.ContactId;
import io.consenthub.shared.InvalidInputException;
import org.springframework.stereotype.Service;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one source of truth for "may we?" (DESIGN §3): may this act happen to this contact now? It
 * reads the contact's {@link ContactState} once and lets {@link ConsentRules} decide. Delivery
 * routes ask through the {@code consentGate} policy; the API, the pages, the CRM sync and the web
 * forms ask here before they change anything. Nothing else interprets consent state.
 */
@Service
public class ConsentDecisions {

    private final ContactStates states;
    private final PurposeCatalog catalog;
    private final Conversations conversations;
    private final Refusals refusals;
    private final SendingPolicy policy;

    ConsentDecisions(ContactStates states, PurposeCatalog catalog, Conversations conversations, Refusals refusals,
                     EmailSettings settings) {
        this.states = states;
        this.catalog = catalog;
        this.conversations = conversations;
        this.refusals = refusals;
        this.policy = settings.sendingPolicy();
    }

    public SendingPolicy sendingPolicy() {
        return policy;
    }

    /** Decides an act for a contact from its current state; an unknown contact is refused. */
    public Decision decide(ContactId contact, Act act) {
        Optional<ContactState> state = states.find(contact);
        if (state.isEmpty()) {
            return Decision.refuse("unknown-contact", "the hub holds no contact " + contact);
        }
        return decide(state.get(), act);
    }

    /**
     * Decides under the fence of the contact's ledger chain ({@link ContactStates#readFenced}), in the
     * caller's transaction: until it ends, no consent change of the contact can commit, so whatever
     * the caller does on an allowed decision cannot be overtaken by a revocation it did not see.
     */
    @org.springframework.transaction.annotation.Transactional(propagation = org.springframework.transaction.annotation.Propagation.MANDATORY)
    public Decision decideFenced(ContactId contact, Act act) {
        return states.readFenced(contact).map(state -> decide(state, act))
                .orElseGet(() -> Decision.refuse("unknown-contact", "the hub holds no contact " + contact));
    }

    /** Decides from a state the caller has just read (e.g. under the contact's row lock, or once per CRM row). */
    public Decision decide(ContactState state, Act act) {
        boolean contactsConversation = act instanceof Act.SendEmail email && email.kind() == EmailKind.REPLY
                && !email.references().isEmpty() && conversations.startedByContact(state.contact(), email.references());
        return ConsentRules.decide(act, state, policy, contactsConversation);
    }

    /**
     * The purpose whose consent allows sharing the contact with the partner now (the one a share
     * names as its authority); empty when none does.
     */
    public Optional<String> purposeAllowingShare(ContactState state, String partner) {
        return state.sharingWith(partner).stream().filter(ContactState.PurposeValue::granted).map(v -> v.purpose().id()).findFirst();
    }

    /** Whether the contact may be tracked now (a tracking pixel, a tracked link, an engagement record). */
    public boolean mayTrack(ContactId contact) {
        return decide(contact, new Act.TrackEngagement()).allowed();
    }

    /**
     * Decides and, on a refusal, records it (rule and reason, for {@code GET /api/refusals}) and
     * throws {@link ConsentRefusedException}, which the API answers with 409. The record is kept
     * even though the caller's transaction then rolls back.
     *
     * @param where the entry point that asked, kept with the refusal (e.g. {@code api-patch-contact})
     */
    public void require(ContactState state, Act act, String where) {
        Decision decision = checked(state, act, where);
        if (!decision.allowed()) {
            throw new ConsentRefusedException(decision);
        }
    }

    /** As {@link #require(ContactState, Act, String)}, reading the contact's state first; an unknown contact is refused too. */
    public void require(ContactId contact, Act act, String where) {
        Decision decision = decide(contact, act);
        if (!decision.allowed()) {
            refusals.record(contact, act.subject(), decision, where, null);
            throw new ConsentRefusedException(decision);
        }
    }

    /** Decides and records a refusal, for a caller that reports it rather than failing (an import row). */
    public Decision checked(ContactState state, Act act, String where) {
        Decision decision = decide(state, act);
        if (!decision.allowed()) {
            refusals.record(state.contact(), act.subject(), decision, where, null);
        }
        return decision;
    }

    /** The sensitive attributes among these that the contact's state does not allow storing, with the decisions. */
    public List<Refused> refusedFields(ContactState state, java.util.Collection<String> fields) {
        return fields.stream().map(field -> new Refused(field, decide(state, new Act.StoreField(field))))
                .filter(r -> !r.decision().allowed()).toList();
    }

    /**
     * The values a contact about to be created may hold: someone who has answered nothing has every
     * purpose at its default, so a sensitive field whose storage consent defaults to "no" is left out.
     */
    public Map<String, String> storableForNew(Map<String, String> values) {
        var storable = new LinkedHashMap<>(values);
        refusedForNew(values.keySet()).forEach(r -> storable.remove(r.field()));
        return storable;
    }

    /**
     * The fields a contact about to be created may not hold, with the decisions: they depend on the
     * field alone (an unanswered contact's state), so a batch of new contacts asks once per field.
     */
    public List<Refused> refusedForNew(java.util.Collection<String> fields) {
        return refusedFields(states.unanswered(null), List.copyOf(fields));
    }

    /** A field the decision service refused to store, and why. */
    public record Refused(String field, Decision decision) {
    }

    /** Checks that a campaign's list is a configured email list, before anything is enqueued. */
    public Purpose requireList(String list) {
        Purpose purpose = catalog.require(list);
        if (purpose.kind() != PurposeKind.EMAIL_LIST) {
            throw new InvalidInputException("'" + list + "' is a " + purpose.kind() + " purpose, not an email list; lists: "
                    + catalog.all().stream().filter(p -> p.kind() == PurposeKind.EMAIL_LIST).map(Purpose::id).toList());
        }
        return purpose;
    }

}
