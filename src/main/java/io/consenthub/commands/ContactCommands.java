package io.consenthub.commands;

import io.consenthub.consent.ActorKind;
import io.consenthub.consent.ConsentRecords;
import io.consenthub.consent.ContactState;
import io.consenthub.consent.ContactStates;
import io.consenthub.consent.PurposeCatalog;
import io.consenthub.decision.Act;
import io.consenthub.decision.ConsentDecisions;
import io.consenthub.decision.Decision;
import io.consenthub.consent.Evidence;
import io.consenthub.contact.Attributes;
import io.consenthub.contact.Contact;
import io.consenthub.contact.ContactDirectory;
import io.consenthub.contact.ContactId;
import io.consenthub.contact.CrmLink;
import io.consenthub.contact.EmailAddress;
import io.consenthub.consent.optin.EmailOptIn;
import io.consenthub.consent.optin.EmailOptInStatus;
import io.consenthub.consent.optin.OptInAction;
import io.consenthub.consent.optin.OptInDecision;
import io.consenthub.shared.InvalidInputException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What CRM users do to contacts through the API (create, import, edit, opt-in actions, answers,
 * an admin's unlock), each one transaction: a contact change and the ledger events it causes commit
 * together, and any refusal leaves both untouched. Every change first asks the decision service;
 * the API's route beans only translate requests into these calls.
 */
@Service
@Transactional
public class ContactCommands {

    private static final Set<OptInAction> USER_ACTIONS = Set.of(
            OptInAction.SET_OPT_OUT_USER, OptInAction.REVERT_OPT_OUT_USER, OptInAction.SET_SINGLE_OPT_IN_USER);

    /** A validated contact to create or import. */
    public record ValidContact(EmailAddress email, Attributes attributes, List<CrmLink> links, boolean singleOptIn, String note) {
    }

    /** What one import row did. */
    public record ImportRow(int row, String id, String outcome, String optIn) {
    }

    public record ImportReport(int created, int updated, int unchanged, List<ImportRow> rows) {
    }

    private final ContactDirectory contacts;
    private final EmailOptIn optIn;
    private final ConsentRecords consents;
    private final ContactStates states;
    private final ConsentDecisions decisions;
    private final PurposeCatalog catalog;

    ContactCommands(ContactDirectory contacts, EmailOptIn optIn, ConsentRecords consents, ContactStates states,
                    ConsentDecisions decisions, PurposeCatalog catalog) {
        this.catalog = catalog;
        this.contacts = contacts;
        this.optIn = optIn;
        this.consents = consents;
        this.states = states;
        this.decisions = decisions;
    }

    public ContactId create(ValidContact request, Evidence evidence) {
        Contact contact = contacts.create(request.email(), request.attributes(), request.links());
        requireStorable(states.read(contact.id()), request.attributes().values().keySet(), "api-create-contact");
        if (request.singleOptIn()) {
            optIn.apply(contact.id(), OptInAction.SET_SINGLE_OPT_IN_USER, evidence.withNote(request.note()));
        }
        return contact.id();
    }

    /**
     * Creates new contacts and merges into existing ones (matched by email). All rows were validated
     * before; a row whose opt-in the rules refuse is reported, not failed, so one opted-out contact
     * does not block an import.
     */
    public ImportReport importAll(List<ValidContact> rows, Evidence evidence) {
        var report = new ArrayList<ImportRow>();
        int created = 0;
        int updated = 0;
        for (int i = 0; i < rows.size(); i++) {
            ValidContact row = rows.get(i);
            var existing = contacts.findByEmail(row.email());
            ContactId id;
            String outcome;
            if (existing.isEmpty()) {
                id = contacts.create(row.email(), row.attributes(), row.links()).id();
                requireStorable(states.read(id), row.attributes().values().keySet(), "api-import-contacts");
                outcome = "created";
                created++;
            } else {
                id = existing.get();
                Contact locked = contacts.lock(id);
                ContactState state = states.read(id);
                Decision edit = decisions.checked(state, new Act.EditContact(ActorKind.USER), "api-import-contacts");
                if (!edit.allowed()) {
                    report.add(new ImportRow(i, id.toString(), "locked: " + edit.reason(), null));
                    continue;
                }
                var allowed = new java.util.HashMap<>(row.attributes().values());
                var notStored = new ArrayList<String>();
                for (ConsentDecisions.Refused refused : decisions.refusedFields(state, allowed.keySet())) {
                    decisions.checked(state, new Act.StoreField(refused.field()), "api-import-contacts");
                    allowed.remove(refused.field());
                    notStored.add(refused.field() + " (" + refused.decision().rule() + ")");
                }
                Attributes merged = locked.attributes().merge(allowed);
                boolean changed = !merged.equals(locked.attributes()) || !locked.crmLinks().containsAll(row.links());
                if (changed) {
                    contacts.change(locked, locked.primaryEmail(), merged);
                    row.links().forEach(link -> contacts.link(id, link));
                    updated++;
                }
                outcome = (changed ? "updated" : "unchanged")
                        + (notStored.isEmpty() ? "" : "; not stored: " + String.join(", ", notStored));
            }
            String optInResult = null;
            if (row.singleOptIn() && !decisions.checked(states.read(id),
                    new Act.ChangeOptIn(ActorKind.USER, OptInAction.SET_SINGLE_OPT_IN_USER), "api-import-contacts").allowed()) {
                optInResult = "not applied: " + decisions.decide(states.read(id),
                        new Act.ChangeOptIn(ActorKind.USER, OptInAction.SET_SINGLE_OPT_IN_USER)).reason();
            } else if (row.singleOptIn()) {
                OptInDecision decision = optIn.attempt(id, OptInAction.SET_SINGLE_OPT_IN_USER, evidence.withNote(row.note()));
                optInResult = switch (decision.outcome()) {
                    case APPLY -> decision.next().name();
                    case UNCHANGED -> "unchanged: " + decision.reason();
                    case REFUSE -> "not applied: " + decision.reason();
                };
            }
            report.add(new ImportRow(i, id.toString(), outcome, optInResult));
        }
        long locked = report.stream().filter(r -> r.outcome().startsWith("locked")).count();
        return new ImportReport(created, updated, (int) (rows.size() - created - updated - locked), report);
    }

    public void patch(ContactId id, EmailAddress email, Map<String, String> attributePatch, Evidence evidence) {
        Contact locked = contacts.lock(id);
        ContactState state = states.read(id);
        decisions.require(state, new Act.EditContact(ActorKind.USER), "api-patch-contact");
        if (attributePatch != null) {
            var values = attributePatch.entrySet().stream().filter(e -> e.getValue() != null).map(Map.Entry::getKey).toList();
            requireStorable(state, values, "api-patch-contact");
        }
        EmailAddress newEmail = email == null ? locked.primaryEmail() : email;
        Attributes merged = locked.attributes().merge(attributePatch);
        contacts.change(locked, newEmail, merged);
        if (!newEmail.key().equals(locked.primaryEmail().key())) {
            optIn.apply(id, OptInAction.CHANGE_PRIMARY_EMAIL,
                    evidence.withNote(evidence.note() == null ? "primary email changed"
                            : "primary email changed; " + evidence.note()));
        }
    }

    public OptInDecision optInAction(ContactId id, OptInAction action, Evidence evidence) {
        if (!USER_ACTIONS.contains(action)) {
            throw new InvalidInputException("action " + action + " is not available through this endpoint; use one of "
                    + USER_ACTIONS.stream().map(Enum::name).sorted().toList());
        }
        contacts.lock(id);
        decisions.require(states.read(id), new Act.ChangeOptIn(ActorKind.USER, action), "api-opt-in-action");
        return optIn.apply(id, action, evidence);
    }

    public boolean unlock(ContactId id, Evidence evidence) {
        contacts.lock(id);
        return consents.unlockStopProcessing(id, evidence).isPresent();
    }

    /**
     * An admin records stop processing or an erasure request the contact made outside the page,
     * with the admin's reason as the evidence's note; false when the contact already holds it.
     */
    public boolean restrict(ContactId id, io.consenthub.consent.PurposeKind kind, Evidence evidence) {
        contacts.lock(id);
        return consents.restrictByAdmin(id, kind, evidence).isPresent();
    }

    public boolean answer(ContactId id, String purpose, boolean granted, Evidence evidence) {
        contacts.lock(id);
        catalog.require(purpose);
        decisions.require(states.read(id), new Act.AnswerPurpose(ActorKind.USER, purpose, granted), "api-answer-consent");
        return consents.record(id, purpose, granted, evidence).isPresent();
    }

    /**
     * Refuses (409, recorded) a write that would store a sensitive value the contact's storage
     * consent does not allow, the default counting: no value may sit in the hub that the
     * preference page shows as not consented.
     */
    private void requireStorable(ContactState state, java.util.Collection<String> fields, String where) {
        for (ConsentDecisions.Refused refused : decisions.refusedFields(state, fields)) {
            decisions.require(state, new Act.StoreField(refused.field()), where);
        }
    }
}
