package io.consenthub.contact;

import io.consenthub.shared.ConflictException;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The contacts the hub knows: create, find, lock and change identity data. It records no consent:
 * callers that change consent do so in the same transaction through the ledger, so this class
 * joins their transaction rather than opening its own.
 */
@Service
@Transactional(propagation = Propagation.MANDATORY)
public class ContactDirectory {

    private final ContactStore store;
    private final SensitiveFieldRows fieldRows;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final Suppressions suppressions;

    ContactDirectory(ContactStore store, SensitiveFieldRows fieldRows, Clock clock, ApplicationEventPublisher events,
                     Suppressions suppressions) {
        this.store = store;
        this.suppressions = suppressions;
        this.fieldRows = fieldRows;
        this.clock = clock;
        this.events = events;
    }

    /**
     * Creates a contact. An address on the suppression list (an erased person) is refused with
     * {@link SuppressedEmailException}: only {@link #liftSuppression} by the person's own web form
     * brings it back.
     */
    public Contact create(EmailAddress email, Attributes attributes, List<CrmLink> links) {
        if (!suppressions.suppressed(List.of(email.key())).isEmpty()) {
            throw new SuppressedEmailException();
        }
        store.findByEmail(email).ifPresent(existing -> {
            throw new ConflictException("a contact with this email already exists (id " + existing + ")");
        });
        for (CrmLink link : links) {
            store.linkedContact(link).ifPresent(other -> {
                throw new ConflictException("CRM record " + link.connectorId() + "/" + link.externalId()
                        + " is already linked to contact " + other);
            });
        }
        Instant now = now();
        var contact = new Contact(ContactId.random(), email, attributes, links, now, now);
        store.insert(contact);
        return contact;
    }

    /** A contact to create in bulk. */
    public record NewContact(EmailAddress email, Attributes attributes, List<CrmLink> links) {
    }

    /**
     * Creates many contacts with batched statements, for large imports and initial CRM syncs. The
     * same rules as {@link #create}: no email or CRM link may exist already, nor appear twice. The
     * caller has looked the batch up already, so an email or link that exists now was added
     * since: the database's unique constraints catch it and the batch fails as a conflict, rather
     * than every batch paying for the same lookups twice. After such a conflict the transaction is
     * spoilt on PostgreSQL: the caller rolls it back (and may retry the contacts one by one).
     */
    public List<Contact> createAll(List<NewContact> batch) {
        var emails = new HashSet<String>();
        var links = new HashSet<String>();
        for (NewContact c : batch) {
            if (!emails.add(c.email().key())) {
                throw new ConflictException("one email appears twice in one batch");
            }
            for (CrmLink link : c.links()) {
                if (!links.add(link.connectorId() + "/" + link.externalId())) {
                    throw new ConflictException("CRM record " + link.connectorId() + "/" + link.externalId() + " appears twice in one batch");
                }
            }
        }
        if (!suppressions.suppressed(emails).isEmpty()) {
            throw new SuppressedEmailException();
        }
        Instant now = now();
        List<Contact> created = batch.stream()
                .map(c -> new Contact(ContactId.random(), c.email(), c.attributes(), c.links(), now, now)).toList();
        try {
            store.insertAll(created);
        } catch (DuplicateKeyException e) {
            throw new ConflictException("some of these contacts' emails or CRM records exist already", e);
        }
        return created;
    }

    @Transactional(propagation = Propagation.SUPPORTS, readOnly = true)
    public Set<String> existingEmailKeys(Collection<String> emailKeys) {
        return store.emailKeysIn(emailKeys);
    }

    /** Which of these normalised addresses ({@link EmailAddress#key()}) belong to erased people (the suppression list). */
    @Transactional(propagation = Propagation.SUPPORTS, readOnly = true)
    public Set<String> suppressedEmailKeys(Collection<String> emailKeys) {
        return suppressions.suppressed(emailKeys);
    }

    /**
     * What {@link #suppress} put on the list: the address (false when it no longer opens — its key
     * destroyed, or the row already anonymised — so there is nothing left to remember it by) and
     * how many CRM records.
     */
    public record Suppressed(boolean address, int crmRecords) {
    }

    /** Puts the contact's address and CRM records on the suppression list, for erasure job {@code job}. */
    public Suppressed suppress(ContactId id, java.util.UUID job) {
        Contact contact = get(id);
        EmailAddress email = contact.primaryEmail();
        boolean opens = !email.equals(ContactStore.erasedEmail(id));
        if (opens) {
            suppressions.suppress(email, job, now());
        }
        suppressions.suppressRecords(contact.crmLinks(), opens ? email : null, job, now());
        return new Suppressed(opens, contact.crmLinks().size());
    }

    /** Which of these records of one connector belong to erased people (the suppression list): never synced again. */
    @Transactional(propagation = Propagation.SUPPORTS, readOnly = true)
    public Set<String> suppressedRecords(String connectorId, Collection<String> externalIds) {
        return suppressions.suppressedRecords(connectorId, externalIds);
    }

    /**
     * Lifts an address's suppression because the person came back by their own act ({@code by}
     * names it, e.g. {@code web-form:signup}); the lifting is kept on the list's row. False when
     * the address was not suppressed.
     */
    public boolean liftSuppression(EmailAddress email, String by) {
        return suppressions.lift(email, by, now());
    }

    /** A removal's change to the contact row ({@link ContactStore#remove}): anonymised, then found by no read. */
    public int remove(ContactId id) {
        return store.remove(id, now());
    }

    /** Erasure's change to the contact row ({@link ContactStore#anonymise}); returns the rows changed or deleted. */
    public int anonymise(ContactId id) {
        return store.anonymise(id, now());
    }

    /** The CRM connectors each of these contacts has a record in. */
    @Transactional(propagation = Propagation.SUPPORTS, readOnly = true)
    public Map<ContactId, Set<String>> linkedConnectors(Collection<ContactId> contacts) {
        return store.linkedConnectors(contacts);
    }

    /** The contacts these CRM records are linked to, by the records' external ids. */
    @Transactional(propagation = Propagation.SUPPORTS, readOnly = true)
    public Map<String, ContactId> linkedContacts(String connectorId, Collection<String> externalIds) {
        return store.linkedIn(connectorId, externalIds);
    }

    public Contact lock(ContactId id) {
        return store.lock(id).orElseThrow(() -> new ContactNotFoundException(id));
    }

    @Transactional(propagation = Propagation.SUPPORTS, readOnly = true)
    public Contact get(ContactId id) {
        return store.find(id).orElseThrow(() -> new ContactNotFoundException(id));
    }

    @Transactional(propagation = Propagation.SUPPORTS, readOnly = true)
    public boolean exists(ContactId id) {
        return store.exists(id);
    }

    @Transactional(propagation = Propagation.SUPPORTS, readOnly = true)
    public Optional<ContactId> findByEmail(EmailAddress email) {
        return store.findByEmail(email);
    }

    @Transactional(propagation = Propagation.SUPPORTS, readOnly = true)
    public Optional<ContactId> findByLink(CrmLink link) {
        return store.linkedContact(link);
    }

    @Transactional(propagation = Propagation.SUPPORTS, readOnly = true)
    public List<Contact> getAll(List<ContactId> ids) {
        return store.findAll(ids);
    }

    /**
     * Changes email and attributes of a locked contact. Returns the contact as it now is.
     * A new email that another contact already holds is a conflict, not a silent merge.
     */
    public Contact change(Contact locked, EmailAddress email, Attributes attributes) {
        if (!email.key().equals(locked.primaryEmail().key())) {
            store.findByEmail(email).ifPresent(other -> {
                throw new ConflictException("the email already belongs to contact " + other);
            });
        }
        Instant now = now();
        store.update(locked.id(), email, locked.attributes(), attributes, now);
        if (!email.key().equals(locked.primaryEmail().key())) {
            events.publishEvent(new PrimaryEmailChanged(locked.id(), locked.primaryEmail(), email));
        }
        return new Contact(locked.id(), email, attributes, locked.crmLinks(), locked.createdAt(), now);
    }

    /** Adds a CRM link unless that CRM record is already linked to this contact. */
    public void link(ContactId id, CrmLink link) {
        Optional<ContactId> current = store.linkedContact(link);
        if (current.isPresent()) {
            if (!current.get().equals(id)) {
                throw new ConflictException("CRM record " + link.connectorId() + "/" + link.externalId()
                        + " is already linked to contact " + current.get());
            }
            return;
        }
        store.link(id, link, now());
    }

    /**
     * Seals the sensitive values still held in plaintext (from before their field was declared
     * sensitive) of up to {@code limit} candidate contacts after {@code after} (null: from the start).
     */
    public SealPass sealPlaintextSensitive(Set<String> sensitive, ContactId after, int limit) {
        return store.sealPlaintext(sensitive, after, limit, now());
    }

    /**
     * Seals the contact's sensitive values, and its email when that is sensitive, again under its
     * current keys (a data-key or index-key rotation); the caller holds the contact's key row.
     * Values that do not open are left and counted.
     */
    public Reseal resealSensitive(ContactId id) {
        Reseal fields = fieldRows.reseal(id, now());
        int email = store.resealEmail(id);
        return new Reseal(fields.resealed() + Math.max(0, email), fields.unreadable() + (email < 0 ? 1 : 0));
    }

    /**
     * Seals the emails still in plain form (stored before the email was declared sensitive) of up to
     * {@code limit} contacts after {@code after} (null: from the start).
     */
    public SealPass sealPlaintextEmails(ContactId after, int limit) {
        return store.sealPlaintextEmails(after, limit);
    }

    /** What {@link #resealSensitive} did: values sealed again, and values that did not open. */
    public record Reseal(int resealed, int unreadable) {
    }

    /** One pass of {@link #sealPlaintextSensitive}: the last contact looked at (null: none left) and how many were sealed. */
    public record SealPass(ContactId last, int sealed) {
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
