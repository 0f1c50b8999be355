package io.consenthub.crm;

import io.consenthub.consent.ActorKind;
import io.consenthub.consent.Evidence;
import io.consenthub.contact.Attributes;
import io.consenthub.contact.Contact;
import io.consenthub.contact.ContactDirectory;
import io.consenthub.contact.ContactId;
import io.consenthub.contact.CrmLink;
import io.consenthub.contact.EmailAddress;
import io.consenthub.optin.EmailOptIn;
import io.consenthub.optin.OptInAction;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Applies one CRM row to the hub, in one transaction: finds the contact by its CRM link or, for a
 * record the hub has not seen, by primary email (one person in several CRMs is one contact),
 * creates it when new, takes over the CRM's mapped attributes, and turns the CRM's own opt-out flag
 * into OPT_OUT_USER, which never upgrades an opt-in. A row that fails validation throws and writes
 * nothing; the caller records it as a reject.
 */
@Service
public class CrmContactSync {

    private final ContactDirectory contacts;
    private final EmailOptIn optIn;
    private final CrmRecordStore records;
    private final Clock clock;

    CrmContactSync(ContactDirectory contacts, EmailOptIn optIn, CrmRecordStore records, Clock clock) {
        this.contacts = contacts;
        this.optIn = optIn;
        this.records = records;
        this.clock = clock;
    }

    @Transactional
    public SyncOutcome apply(CrmRow row) {
        if (records.rowHash(row.connectorId(), row.externalId()).filter(row.rowHash()::equals).isPresent()) {
            return SyncOutcome.UNCHANGED;
        }
        Instant now = clock.instant();
        var link = new CrmLink(row.connectorId(), row.externalId());
        Optional<ContactId> linked = contacts.findByLink(link);
        if (row.deleted()) {
            records.saveRecord(row, now);
            return SyncOutcome.MARKED_DELETED;
        }
        var email = new EmailAddress(row.email());
        var evidence = new Evidence(ActorKind.CRM, row.connectorId(), "crm-sync", now, null, null,
                row.connectorId() + "/" + row.externalId(), null);
        SyncOutcome outcome;
        ContactId id;
        if (linked.isPresent()) {
            id = linked.get();
            Contact locked = contacts.lock(id);
            contacts.change(locked, email, locked.attributes().merge(row.attributes()));
            if (!email.value().equals(locked.primaryEmail().value())) {
                optIn.attempt(id, OptInAction.CHANGE_PRIMARY_EMAIL, evidence.withNote(
                        "primary email changed in CRM " + row.connectorId()));
            }
            outcome = SyncOutcome.UPDATED;
        } else {
            Optional<ContactId> sameEmail = contacts.findByEmail(email);
            if (sameEmail.isPresent()) {
                id = sameEmail.get();
                Contact locked = contacts.lock(id);
                contacts.change(locked, locked.primaryEmail(), locked.attributes().merge(row.attributes()));
                contacts.link(id, link);
                outcome = SyncOutcome.LINKED;
            } else {
                id = contacts.create(email, new Attributes(withoutNulls(row.attributes())), java.util.List.of(link)).id();
                outcome = SyncOutcome.CREATED;
            }
        }
        if (row.emailOptOut()) {
            optIn.attempt(id, OptInAction.SET_OPT_OUT_USER, evidence.withNote("opt-out flag set in CRM " + row.connectorId()));
        }
        records.saveRecord(row, now);
        return outcome;
    }

    private static Map<String, String> withoutNulls(Map<String, String> attributes) {
        var copy = new HashMap<String, String>();
        attributes.forEach((k, v) -> {
            if (v != null) {
                copy.put(k, v);
            }
        });
        return copy;
    }
}
