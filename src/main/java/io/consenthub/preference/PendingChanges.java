package io.consenthub.preference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.consenthub.consent.ConsentRecords;
import io.consenthub.consent.ConsentsBlock;
import io.consenthub.consent.Evidence;
import io.consenthub.consent.Purpose;
import io.consenthub.consent.PurposeCatalog;
import io.consenthub.consent.PurposeKind;
import io.consenthub.consent.optin.EmailOptIn;
import io.consenthub.consent.optin.EmailOptInStatus;
import io.consenthub.consent.optin.OptInAction;
import io.consenthub.contact.Contact;
import io.consenthub.contact.ContactDirectory;
import io.consenthub.contact.ContactId;
import io.consenthub.contact.PrimaryEmailChanged;
import io.consenthub.crypto.ContactKeys;
import io.consenthub.decision.EmailKind;
import io.consenthub.email.EmailComposer;
import io.consenthub.email.EmailPayload;
import io.consenthub.email.Emails;
import io.consenthub.email.MailTexts;
import io.consenthub.links.LinkTokens;
import io.consenthub.links.TokenGrant;
import io.consenthub.links.TokenPurpose;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Changes made on the preference page (or by a web form for a known contact) wait here until the
 * contact confirms them through the link mailed to the address on record (DESIGN §1.1 "verified
 * changes"): a forwarded page link lets a stranger propose changes, never apply them.
 *
 * <p>Each change set has its own mail and link, valid until used or expired: proposing never
 * cancels another set, so neither a second visit to the page nor a stranger holding a forwarded
 * link can void a change the contact is about to confirm. When a set is confirmed, older sets
 * still pending lose their entries for the same subjects (the newer confirmed choice wins; a set
 * left empty is superseded), so confirming a stale mail can never undo a newer choice.
 *
 * <p>A web form's set keeps the form's evidence (channel, form, submission id, its IP and user
 * agent, those two encrypted under the contact's key) and the ledger events of its confirmation
 * carry it as their {@link Evidence.Origin}, beside the confirming browser's evidence.
 */
@Service
public class PendingChanges {

    private static final TypeReference<List<Change>> CHANGES = new TypeReference<>() { };
    private static final int SUBJECT_ITEMS = 2;

    /** A pending change set, as the confirmation page shows it; {@code origin} is set for a web form's. */
    record Pending(String id, ContactId contact, List<Change> changes, Evidence.Origin origin) {
    }

    private final JdbcClient jdbc;
    private final ObjectMapper json;
    private final Emails emails;
    private final MailTexts texts;
    private final LinkTokens tokens;
    private final ConsentRecords consents;
    private final EmailOptIn optIn;
    private final ContactDirectory contacts;
    private final PurposeCatalog catalog;
    private final PreferencePages pages;
    private final ContactKeys keys;
    private final Clock clock;

    PendingChanges(JdbcClient jdbc, ObjectMapper json, Emails emails, MailTexts texts, LinkTokens tokens,
                   ConsentRecords consents, EmailOptIn optIn, ContactDirectory contacts, PurposeCatalog catalog,
                   PreferencePages pages, ContactKeys keys, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.emails = emails;
        this.texts = texts;
        this.tokens = tokens;
        this.consents = consents;
        this.optIn = optIn;
        this.contacts = contacts;
        this.catalog = catalog;
        this.pages = pages;
        this.keys = keys;
        this.clock = clock;
    }

    /**
     * Holds the changes and mails their confirmation link to the contact's address on record, in
     * the contact's language, with the changes in the subject and the body. Other pending sets stay
     * valid. {@code origin} is the evidence of an unverified channel that asked (a web form), or null.
     */
    @Transactional
    public String propose(ContactId contact, List<Change> changes, Evidence.Origin origin) {
        String id = UUID.randomUUID().toString();
        jdbc.sql("""
                insert into preference_change (id, contact_id, changes, status, created_at,
                    origin_channel, origin_actor_id, origin_proof_id, origin_ip, origin_user_agent)
                values (?, ?, ?, 'PENDING', ?, ?, ?, ?, ?, ?)""")
                .params(id, contact.value(), write(changes), now(),
                        origin == null ? null : origin.channel(), origin == null ? null : origin.actorId(),
                        origin == null ? null : origin.proofId(),
                        origin == null ? null : seal(contact, id, "origin_ip", origin.ip()),
                        origin == null ? null : seal(contact, id, "origin_user_agent", origin.userAgent()))
                .update();
        emails.enqueue(contact, confirmationMail(contact, changes, id), null);
        return id;
    }

    private EmailPayload confirmationMail(ContactId contact, List<Change> changes, String changeSetId) {
        Locale locale = texts.localeOf(contact);
        List<String> lines = pages.describe(changes, locale, (key, args) -> texts.text(locale, key, args));
        String subjectItems = String.join(", ", lines.subList(0, Math.min(SUBJECT_ITEMS, lines.size())));
        if (lines.size() > SUBJECT_ITEMS) {
            subjectItems = texts.text(locale, "mail.changes.subject.more", subjectItems, lines.size() - SUBJECT_ITEMS);
        }
        String list = lines.stream().map(line -> "  - " + line + "\n").collect(Collectors.joining());
        return new EmailPayload(EmailKind.NOTICE, texts.text(locale, "mail.changes.subject", subjectItems),
                texts.text(locale, "mail.changes.text", list, EmailComposer.CONFIRM_CHANGES_LINK),
                null, null, null, null, "preference-page", changeSetId);
    }

    /**
     * Answers from an unverified channel (a public web form) for a contact the hub already knows:
     * its consents and its marketing opt-in become a change set that only the owner of the address
     * on record can confirm, so a form posted in someone else's name changes nothing. The opt-in is
     * held only when the contact is not already opted in by form or double opt-in; whether it
     * applies is decided by the opt-in rules at confirmation. Returns false when nothing would change.
     */
    @Transactional
    public boolean proposeAnswers(ContactId contact, boolean marketingOptIn, Map<String, Boolean> answers,
                                  Evidence.Origin origin) {
        var current = consents.block(contact).consents().stream()
                .collect(Collectors.toMap(ConsentsBlock.Entry::purpose, ConsentsBlock.Entry::granted));
        var changes = new ArrayList<Change>();
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
        propose(contact, changes, origin);
        return true;
    }

    /** Changes awaiting confirmation at an old address are void once the address changed. */
    @EventListener
    void cancelOnEmailChange(PrimaryEmailChanged change) {
        jdbc.sql("update preference_change set status = 'CANCELLED', decided_at = ? where contact_id = ? and status = 'PENDING'")
                .params(now(), change.contactId().value())
                .update();
    }

    @Transactional(readOnly = true)
    public Optional<Pending> peek(String token) {
        return tokens.peek(TokenPurpose.PREFERENCE_CHANGE, token).flatMap(grant -> pending(grant, ""));
    }

    /** The contact the token would confirm for, without using it up (for rate limits). */
    @Transactional(readOnly = true)
    Optional<ContactId> contactOf(String token) {
        return tokens.peek(TokenPurpose.PREFERENCE_CHANGE, token).map(TokenGrant::contactId);
    }

    /** How many change sets of this contact wait for confirmation. */
    @Transactional(readOnly = true)
    int pendingCount(ContactId contact) {
        return jdbc.sql("select count(*) from preference_change where contact_id = ? and status = 'PENDING'")
                .param(contact.value()).query(Integer.class).single();
    }

    /** Applies the change set the token confirms; empty if the token or the change set is no longer valid. */
    @Transactional
    public Optional<Pending> confirm(String token, Function<TokenGrant, Evidence> evidenceFor) {
        Optional<TokenGrant> grant = tokens.consume(TokenPurpose.PREFERENCE_CHANGE, token);
        if (grant.isEmpty()) {
            return Optional.empty();
        }
        contacts.lock(grant.get().contactId());
        Optional<Pending> pending = pending(grant.get(), " for update");
        pending.ifPresent(p -> {
            Evidence evidence = evidenceFor.apply(grant.get()).withNote("preference change set " + p.id());
            apply(p, p.origin() == null ? evidence : evidence.withOrigin(p.origin()));
            jdbc.sql("update preference_change set status = 'APPLIED', decided_at = ? where id = ?")
                    .params(now(), p.id())
                    .update();
            supersedeOlder(p);
        });
        return pending;
    }

    /** Older pending sets lose their entries for the subjects just confirmed; an emptied set is superseded. */
    private void supersedeOlder(Pending confirmed) {
        Set<String> decided = confirmed.changes().stream().map(PendingChanges::subjectOf).collect(Collectors.toSet());
        record Older(String id, List<Change> changes) {
        }
        List<Older> older = jdbc.sql("""
                select id, changes from preference_change
                where contact_id = ? and status = 'PENDING'
                  and created_at < (select created_at from preference_change where id = ?)""")
                .params(confirmed.contact().value(), confirmed.id())
                .query((rs, n) -> new Older(rs.getString(1), read(rs.getString(2))))
                .list();
        for (Older set : older) {
            List<Change> remaining = set.changes().stream().filter(c -> !decided.contains(subjectOf(c))).toList();
            if (remaining.isEmpty()) {
                jdbc.sql("update preference_change set status = 'SUPERSEDED', decided_at = ? where id = ?")
                        .params(now(), set.id()).update();
            } else if (remaining.size() < set.changes().size()) {
                jdbc.sql("update preference_change set changes = ? where id = ?").params(write(remaining), set.id()).update();
            }
        }
    }

    /** The ledger subject a change moves: unsubscribing and a form's opt-in both move the opt-in status. */
    private static String subjectOf(Change change) {
        return change.isUnsubscribeAll() ? PurposeCatalog.EMAIL_OPT_IN_SUBJECT : change.purpose();
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

    private Optional<Pending> pending(TokenGrant grant, String lock) {
        ContactId contact = grant.contactId();
        return jdbc.sql("""
                select id, changes, origin_channel, origin_actor_id, origin_proof_id, origin_ip, origin_user_agent
                from preference_change where id = ? and contact_id = ? and status = 'PENDING'""" + lock)
                .params(grant.reference(), contact.value())
                .query((rs, n) -> {
                    String id = rs.getString(1);
                    Evidence.Origin origin = rs.getString(3) == null ? null : new Evidence.Origin(rs.getString(3),
                            rs.getString(4), rs.getString(5), open(contact, id, "origin_ip", rs.getString(6)),
                            open(contact, id, "origin_user_agent", rs.getString(7)));
                    return new Pending(id, contact, read(rs.getString(2)), origin);
                })
                .optional();
    }

    private String seal(ContactId contact, String changeSetId, String column, String plaintext) {
        return plaintext == null ? null : keys.encrypt(contact, "preference_change/" + changeSetId + "/" + column, plaintext);
    }

    private String open(ContactId contact, String changeSetId, String column, String ciphertext) {
        return ciphertext == null ? null
                : keys.decrypt(contact, "preference_change/" + changeSetId + "/" + column, ciphertext).orElse(null);
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
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
