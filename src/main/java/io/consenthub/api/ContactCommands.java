package io.consenthub.api;

import io.consenthub.consent.ConsentRecords;
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
import io.consenthub.shared.ConflictException;
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
 * The contact API's write operations, each one transaction: a contact change and the ledger
 * events it causes commit together, and any refusal leaves both untouched.
 */
@Service
@Transactional
class ContactCommands {

    static final int MAX_IMPORT = 10_000;
    private static final Set<OptInAction> USER_ACTIONS = Set.of(
            OptInAction.SET_OPT_OUT_USER, OptInAction.REVERT_OPT_OUT_USER, OptInAction.SET_SINGLE_OPT_IN_USER);

    /** A validated contact to create or import. */
    record ValidContact(EmailAddress email, Attributes attributes, List<CrmLink> links, boolean singleOptIn, String note) {
    }

    /** What one import row did. */
    record ImportRow(int row, String id, String outcome, String optIn) {
    }

    record ImportReport(int created, int updated, int unchanged, List<ImportRow> rows) {
    }

    private final ContactDirectory contacts;
    private final EmailOptIn optIn;
    private final ConsentRecords consents;

    ContactCommands(ContactDirectory contacts, EmailOptIn optIn, ConsentRecords consents) {
        this.contacts = contacts;
        this.optIn = optIn;
        this.consents = consents;
    }

    public ContactId create(ValidContact request, Evidence evidence) {
        Contact contact = contacts.create(request.email(), request.attributes(), request.links());
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
                outcome = "created";
                created++;
            } else {
                id = existing.get();
                Contact locked = contacts.lock(id);
                ConsentRecords.Locks locks = consents.locks(id);
                if (locks.stopProcessing()) {
                    report.add(new ImportRow(i, id.toString(), "locked: the contact asked to stop processing", null));
                    continue;
                }
                var allowed = new java.util.HashMap<>(row.attributes().values());
                allowed.keySet().removeAll(locks.lockedFields());
                Attributes merged = locked.attributes().merge(allowed);
                boolean changed = !merged.equals(locked.attributes()) || !locked.crmLinks().containsAll(row.links());
                if (changed) {
                    contacts.change(locked, locked.primaryEmail(), merged);
                    row.links().forEach(link -> contacts.link(id, link));
                    updated++;
                }
                outcome = changed ? "updated" : "unchanged";
            }
            String optInResult = null;
            if (row.singleOptIn()) {
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
        ConsentRecords.Locks locks = consents.locks(id);
        if (locks.stopProcessing()) {
            throw new ConflictException("the contact asked to stop processing their data: the record is locked until an admin unlocks it");
        }
        if (attributePatch != null) {
            for (String field : locks.lockedFields()) {
                if (attributePatch.get(field) != null) {
                    throw new ConflictException("the contact revoked consent to store '" + field + "'; it cannot be set while that stands");
                }
            }
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
        return optIn.apply(id, action, evidence);
    }

    public boolean unlock(ContactId id, Evidence evidence) {
        contacts.lock(id);
        return consents.unlockStopProcessing(id, evidence).isPresent();
    }

    public boolean answer(ContactId id, String purpose, boolean granted, Evidence evidence) {
        contacts.lock(id);
        return consents.record(id, purpose, granted, evidence).isPresent();
    }

    static List<ValidContact> validate(List<ContactRequests.NewContact> requests) {
        if (requests == null || requests.isEmpty()) {
            throw new InvalidInputException("'contacts' must hold at least one contact");
        }
        if (requests.size() > MAX_IMPORT) {
            throw new InvalidInputException("at most " + MAX_IMPORT + " contacts per import; split the file");
        }
        var problems = new ArrayList<String>();
        var valid = new ArrayList<ValidContact>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < requests.size(); i++) {
            try {
                ValidContact contact = validate(requests.get(i));
                Integer first = seen.putIfAbsent(contact.email().key(), i);
                if (first != null) {
                    problems.add("contacts[" + i + "]: email " + contact.email() + " already appears in contacts[" + first + "]");
                }
                valid.add(contact);
            } catch (InvalidInputException e) {
                problems.add("contacts[" + i + "]: " + e.getMessage());
            }
            if (problems.size() >= 50) {
                problems.add("... stopped after 50 problems");
                break;
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException("nothing was imported; fix these rows: " + String.join("; ", problems));
        }
        return valid;
    }

    static ValidContact validate(ContactRequests.NewContact request) {
        if (request == null) {
            throw new InvalidInputException("a contact object is required");
        }
        EmailOptInStatus status = request.optInStatus();
        if (status != null && status != EmailOptInStatus.NONE && status != EmailOptInStatus.SINGLE_OPT_IN_USER) {
            throw new InvalidInputException("optInStatus on create or import may only be NONE or SINGLE_OPT_IN_USER; "
                    + status + " can only follow from the contact's own action");
        }
        var links = new ArrayList<CrmLink>();
        if (request.crmLinks() != null) {
            var keys = new LinkedHashMap<String, CrmLink>();
            for (ContactRequests.CrmLinkBody body : request.crmLinks()) {
                if (body == null) {
                    throw new InvalidInputException("crmLinks must not contain null");
                }
                CrmLink link = new CrmLink(body.connectorId(), body.externalId());
                if (keys.putIfAbsent(link.connectorId() + "/" + link.externalId(), link) == null) {
                    links.add(link);
                }
            }
        }
        return new ValidContact(new EmailAddress(request.email()), new Attributes(request.attributes()), links,
                status == EmailOptInStatus.SINGLE_OPT_IN_USER, request.note());
    }
}
