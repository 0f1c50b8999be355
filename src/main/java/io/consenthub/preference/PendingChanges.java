package io.consenthub.preference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.consenthub.consent.ConsentRecords;
import io.consenthub.consent.Evidence;
import io.consenthub.consent.Purpose;
import io.consenthub.consent.PurposeCatalog;
import io.consenthub.consent.PurposeKind;
import io.consenthub.contact.Contact;
import io.consenthub.contact.ContactDirectory;
import io.consenthub.contact.ContactId;
import io.consenthub.email.EmailComposer;
import io.consenthub.email.EmailPayload;
import io.consenthub.email.Emails;
import io.consenthub.decision.EmailKind;
import io.consenthub.links.LinkTokens;
import io.consenthub.links.TokenGrant;
import io.consenthub.links.TokenPurpose;
import io.consenthub.consent.optin.EmailOptIn;
import io.consenthub.consent.optin.EmailOptInStatus;
import io.consenthub.consent.optin.OptInAction;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Changes made on the preference page wait here until the contact confirms them through the link
 * mailed to the address on record (DESIGN §1.1 "verified changes"): a forwarded page link lets a
 * stranger propose changes, never apply them. Confirmed changes become ledger events with the
 * confirming person's evidence; a revoked field-storage consent erases that field at once.
 */
@Service
public class PendingChanges {

    private static final TypeReference<List<Change>> CHANGES = new TypeReference<>() { };
    static final String SUBJECT = "Please confirm the changes to your preferences";
    static final String TEXT = """
            Hello,

            someone (we hope you) asked to change your privacy and email preferences with us.
            Open this link and press the button to apply the changes:

            %s

            If you did not ask for this, ignore this message; nothing will change.
            """.formatted(EmailComposer.CONFIRM_CHANGES_LINK);

    /** A pending change set, as the confirmation page shows it. */
    record Pending(String id, ContactId contact, List<Change> changes) {
    }

    private final JdbcClient jdbc;
    private final ObjectMapper json;
    private final Emails emails;
    private final LinkTokens tokens;
    private final ConsentRecords consents;
    private final EmailOptIn optIn;
    private final ContactDirectory contacts;
    private final PurposeCatalog catalog;
    private final Clock clock;

    PendingChanges(JdbcClient jdbc, ObjectMapper json, Emails emails, LinkTokens tokens, ConsentRecords consents,
                   EmailOptIn optIn, ContactDirectory contacts, PurposeCatalog catalog, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.emails = emails;
        this.tokens = tokens;
        this.consents = consents;
        this.optIn = optIn;
        this.contacts = contacts;
        this.catalog = catalog;
        this.clock = clock;
    }

    /**
     * Holds the changes and mails the confirmation link to the contact's address on record. An older
     * unconfirmed change set is superseded, so confirming a stale mail can never undo a newer choice.
     */
    @Transactional
    public String propose(ContactId contact, List<Change> changes, String proposerIp) {
        jdbc.sql("update preference_change set status = 'SUPERSEDED', decided_at = ? where contact_id = ? and status = 'PENDING'")
                .params(OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC), contact.value())
                .update();
        String id = UUID.randomUUID().toString();
        jdbc.sql("insert into preference_change (id, contact_id, changes, status, proposed_ip, created_at) values (?, ?, ?, 'PENDING', ?, ?)")
                .params(id, contact.value(), write(changes), proposerIp, OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
                .update();
        emails.enqueue(contact, new EmailPayload(EmailKind.NOTICE, SUBJECT, TEXT, null, null, null, null, "preference-page", id), null);
        return id;
    }

    /**
     * Answers from an unverified channel (a public web form) for a contact the hub already knows:
     * its consents and its marketing opt-in become a change set that only the owner of the address
     * on record can confirm, so a form posted in someone else's name changes nothing. The opt-in is
     * held only when the contact is not already opted in by form or double opt-in; whether it
     * applies is decided by the opt-in rules at confirmation. Returns false when nothing would change.
     */
    @Transactional
    public boolean proposeAnswers(ContactId contact, boolean marketingOptIn, java.util.Map<String, Boolean> answers,
                                  String proposerIp) {
        var current = consents.block(contact).consents().stream()
                .collect(java.util.stream.Collectors.toMap(io.consenthub.consent.ConsentsBlock.Entry::purpose,
                        io.consenthub.consent.ConsentsBlock.Entry::granted));
        var changes = new java.util.ArrayList<Change>();
        var status = optIn.status(contact);
        if (marketingOptIn && status != EmailOptInStatus.SINGLE_OPT_IN_WEBFORM && status != EmailOptInStatus.DOUBLE_OPT_IN) {
            changes.add(Change.webFormOptIn());
        }
        answers.entrySet().stream()
                .filter(a -> !a.getValue().equals(current.get(a.getKey())))
                .map(a -> new Change(a.getKey(), a.getValue()))
                .forEach(changes::add);
        if (changes.isEmpty()) {
            return false;
        }
        propose(contact, changes, proposerIp);
        return true;
    }

    /** Changes awaiting confirmation at an old address are void once the address changed. */
    @org.springframework.context.event.EventListener
    void cancelOnEmailChange(io.consenthub.contact.PrimaryEmailChanged change) {
        jdbc.sql("update preference_change set status = 'CANCELLED', decided_at = ? where contact_id = ? and status = 'PENDING'")
                .params(OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC), change.contactId().value())
                .update();
    }

    @Transactional(readOnly = true)
    public Optional<Pending> peek(String token) {
        return tokens.peek(TokenPurpose.PREFERENCE_CHANGE, token).flatMap(this::pending);
    }

    /** Applies the change set the token confirms; empty if the token or the change set is no longer valid. */
    @Transactional
    public Optional<Pending> confirm(String token, java.util.function.Function<TokenGrant, Evidence> evidenceFor) {
        Optional<TokenGrant> grant = tokens.consume(TokenPurpose.PREFERENCE_CHANGE, token);
        if (grant.isEmpty()) {
            return Optional.empty();
        }
        Optional<Pending> pending = pending(grant.get());
        pending.ifPresent(p -> {
            Evidence evidence = evidenceFor.apply(grant.get());
            apply(p, evidence.withNote("preference change set " + p.id()));
            jdbc.sql("update preference_change set status = 'APPLIED', decided_at = ? where id = ?")
                    .params(OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC), p.id())
                    .update();
        });
        return pending;
    }

    private void apply(Pending pending, Evidence evidence) {
        ContactId contact = pending.contact();
        Contact locked = contacts.lock(contact);
        var erasedFields = new HashMap<String, String>();
        for (Change change : pending.changes()) {
            if (change.isUnsubscribeAll()) {
                optIn.attempt(contact, OptInAction.OPT_OUT_BY_CONTACT, evidence);
                continue;
            }
            if (change.isWebFormOptIn()) {
                optIn.attempt(contact, OptInAction.SUBMIT_WEB_FORM_OPT_IN, evidence.withNote(evidence.note() + "; web-form opt-in"));
                continue;
            }
            Optional<Purpose> purpose = catalog.find(change.purpose());
            if (purpose.isEmpty()) {
                continue;
            }
            consents.record(contact, change.purpose(), change.granted(), evidence);
            if (purpose.get().kind() == PurposeKind.FIELD_STORAGE && !change.granted()) {
                erasedFields.put(purpose.get().field(), null);
            }
        }
        if (!erasedFields.isEmpty()) {
            contacts.change(locked, locked.primaryEmail(), locked.attributes().merge(erasedFields));
        }
    }

    private Optional<Pending> pending(TokenGrant grant) {
        return jdbc.sql("select id, changes from preference_change where id = ? and contact_id = ? and status = 'PENDING'")
                .params(grant.reference(), grant.contactId().value())
                .query((rs, n) -> new Pending(rs.getString(1), grant.contactId(), read(rs.getString(2))))
                .optional();
    }

    private String write(List<Change> changes) {
        try {
            return json.writeValueAsString(changes);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Change> read(String text) {
        try {
            return json.readValue(text, CHANGES);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored change set is unreadable", e);
        }
    }
}
