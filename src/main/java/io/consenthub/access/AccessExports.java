package io.consenthub.access;

import io.consenthub.consent.ConsentLedger;
import io.consenthub.consent.ConsentRecords;
import io.consenthub.consent.HistoryEntry;
import io.consenthub.contact.Contact;
import io.consenthub.contact.ContactDataSection;
import io.consenthub.contact.ContactDirectory;
import io.consenthub.contact.ContactId;
import io.consenthub.contact.ContactLanguages;
import io.consenthub.contact.ContactNotFoundException;
import io.consenthub.decision.EmailKind;
import io.consenthub.email.EmailComposer;
import io.consenthub.email.EmailPayload;
import io.consenthub.email.Emails;
import io.consenthub.email.MailTexts;
import io.consenthub.fields.FieldReveals;
import io.consenthub.fields.SensitiveFields;
import io.consenthub.links.LinkTokens;
import io.consenthub.links.TokenPurpose;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Assembles a contact's access export and hands it out. The document's core — the contact, the
 * consents block, the ledger history with its evidence — is read here; everything else comes from
 * the {@link ContactDataSection}s, each owner describing its own rows. Sensitive values are masked
 * unless the contact asked for them in plaintext and confirmed from the mailbox; every export,
 * asked or handed out, is recorded in {@code access_export}.
 */
@Service
public class AccessExports {

    /** The document's format name and version, its first field. */
    public static final String FORMAT = "consent-hub-access-export/1";
    static final String PAGE = "preference-page";
    static final String API = "api";
    private static final Logger log = LoggerFactory.getLogger(AccessExports.class);

    private final ContactDirectory contacts;
    private final ConsentRecords consents;
    private final ConsentLedger ledger;
    private final ContactLanguages languages;
    private final SensitiveFields sensitive;
    private final FieldReveals reveals;
    private final List<ContactDataSection> sections;
    private final AccessExportStore store;
    private final Emails emails;
    private final MailTexts texts;
    private final LinkTokens tokens;
    private final MailboxChanges mailboxes;
    private final java.time.Duration plaintextAfterMailboxChange;
    private final Clock clock;

    AccessExports(ContactDirectory contacts, ConsentRecords consents, ConsentLedger ledger, ContactLanguages languages,
                  SensitiveFields sensitive, FieldReveals reveals, List<ContactDataSection> sections, AccessExportStore store,
                  Emails emails, MailTexts texts, LinkTokens tokens, MailboxChanges mailboxes, AccessExportSettings settings,
                  Clock clock) {
        this.mailboxes = mailboxes;
        this.plaintextAfterMailboxChange = settings.plaintextAfterMailboxChange();
        this.contacts = contacts;
        this.consents = consents;
        this.ledger = ledger;
        this.languages = languages;
        this.sensitive = sensitive;
        this.reveals = reveals;
        this.sections = sections.stream().sorted(Comparator.comparing(ContactDataSection::name)).toList();
        this.store = store;
        this.emails = emails;
        this.texts = texts;
        this.tokens = tokens;
        this.clock = clock;
        var names = new HashSet<String>();
        for (ContactDataSection section : this.sections) {
            if (!names.add(section.name()) || Core.NAMES.contains(section.name())) {
                throw new IllegalStateException("two parts of the hub export a section named '" + section.name() + "'");
            }
        }
    }

    /** A document handed out: its id (the request's) and its content. */
    public record Export(UUID id, ContactId contact, Map<String, Object> document) {
    }

    /** The export an admin downloads through the API: sensitive values masked; recorded as delivered at once. */
    @Transactional
    public Export forAdmin(ContactId contact, String keyName) {
        if (!contacts.exists(contact)) {
            throw new ContactNotFoundException(contact);
        }
        Instant now = clock.instant();
        var request = new AccessExportStore.Request(UUID.randomUUID(), contact, API, keyName, false, now, now);
        store.record(request);
        log.info("Access export {} of contact {} downloaded by API key {}", request.id(), contact, keyName);
        return new Export(request.id(), contact, document(request, false, Map.of()));
    }

    /**
     * The contact asked from the preference page: the request is recorded and a link to download
     * it, once, is mailed to the address on record, so only the mailbox's owner gets the document.
     */
    @Transactional
    public UUID requestFromPage(ContactId contact, boolean plaintext) {
        var request = new AccessExportStore.Request(UUID.randomUUID(), contact, PAGE, null, plaintext, clock.instant(), null);
        store.record(request);
        Locale locale = texts.localeOf(contact);
        emails.enqueue(contact, new EmailPayload(EmailKind.NOTICE, texts.text(locale, "mail.export.subject"),
                texts.text(locale, "mail.export.text", EmailComposer.EXPORT_LINK), null, null, null, null, PAGE,
                request.id().toString()), null);
        log.info("Access export {} of contact {} requested from the preference page", request.id(), contact);
        return request.id();
    }

    /** The contact a mailed download link is for while it is still good, without using it up. */
    @Transactional(readOnly = true)
    public Optional<ContactId> downloadable(String token) {
        return tokens.peek(TokenPurpose.ACCESS_EXPORT, token).map(grant -> grant.contactId());
    }

    /**
     * The document behind a mailed link, handed out once: the link is used up and the request
     * marked delivered in the same transaction. Empty for an unknown, expired or used link.
     */
    @Transactional
    public Optional<Export> download(String token, String ip) {
        return tokens.consume(TokenPurpose.ACCESS_EXPORT, token)
                .flatMap(grant -> parse(grant.reference()).flatMap(store::undelivered)
                        .filter(request -> request.contact().equals(grant.contactId())))
                .filter(request -> contacts.exists(request.contact()))
                .map(request -> {
                    boolean inPlaintext = request.plaintext() && mailboxSettled(request.contact());
                    Map<String, String> plaintext = inPlaintext
                            ? reveals.revealToSubject(request.contact(), request.id().toString(), ip) : Map.of();
                    store.delivered(request.id(), clock.instant());
                    log.info("Access export {} of contact {} downloaded by the contact{}", request.id(), request.contact(),
                            request.plaintext() && !inPlaintext ? ", masked: the address on record changed recently" : "");
                    var document = document(request, inPlaintext, plaintext);
                    if (request.plaintext() && !inPlaintext) {
                        document.put(Core.PLAINTEXT_REFUSED, "the address on record changed less than "
                                + plaintextAfterMailboxChange.toDays() + " days ago");
                    }
                    return new Export(request.id(), request.contact(), document);
                });
    }

    /**
     * Whether the address on record has been the contact's long enough for plaintext: a key that
     * can change the address (an API user, a CRM) could otherwise have sensitive values mailed to
     * a mailbox of its own.
     */
    private boolean mailboxSettled(ContactId contact) {
        return mailboxes.lastChange(contact).map(at -> !at.isAfter(clock.instant().minus(plaintextAfterMailboxChange))).orElse(true);
    }

    private Map<String, Object> document(AccessExportStore.Request request, boolean inPlaintext, Map<String, String> plaintext) {
        Contact contact = contacts.get(request.contact());
        var attributes = new LinkedHashMap<>(sensitive.masked(contact.attributes().values()));
        attributes.putAll(plaintext);
        var person = new LinkedHashMap<String, Object>();
        person.put("id", contact.id().toString());
        person.put("email", contact.primaryEmail().value());
        person.put("language", languages.of(contact).getLanguage());
        person.put("attributes", attributes);
        person.put("crmLinks", contact.crmLinks());
        person.put("createdAt", contact.createdAt());
        person.put("updatedAt", contact.updatedAt());
        var document = new LinkedHashMap<String, Object>();
        document.put("format", FORMAT);
        document.put("exportId", request.id().toString());
        document.put("exportedAt", clock.instant());
        document.put("requestedThrough", request.channel());
        document.put("sensitiveValues", inPlaintext ? "plaintext" : "masked");
        document.put(Core.CONTACT, person);
        document.put(Core.CONSENTS, consents.block(contact.id()));
        document.put(Core.HISTORY, ledger.history(contact.id()).stream().map(HistoryEntry::of).map(AccessExports::withoutOthersData)
                .toList());
        for (ContactDataSection section : sections) {
            document.put(section.name(), section.export(contact.id()));
        }
        return document;
    }

    /**
     * An event's evidence as the contact may see it: the IP and user agent of an act by someone
     * else (a user's browser, a CRM's server) are that person's data, not the contact's (GDPR Art. 15(4)).
     */
    private static HistoryEntry withoutOthersData(HistoryEntry e) {
        if ("CONTACT".equals(e.actorKind())) {
            return e;
        }
        return new HistoryEntry(e.seq(), e.eventId(), e.type(), e.subject(), e.value(), e.previousValue(), e.actorKind(),
                e.actorId(), e.channel(), e.occurredAt(), null, null, e.proofId(), e.note(), e.hash(), e.evidenceErased(),
                e.origin());
    }

    private static Optional<UUID> parse(String reference) {
        try {
            return Optional.of(UUID.fromString(reference));
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
    }

    /** The sections this class writes itself; no {@link ContactDataSection} may take their names. */
    private static final class Core {
        static final String CONTACT = "contact";
        static final String CONSENTS = "consents";
        static final String HISTORY = "history";
        static final String PLAINTEXT_REFUSED = "plaintextRefused";
        static final java.util.Set<String> NAMES = java.util.Set.of(CONTACT, CONSENTS, HISTORY, PLAINTEXT_REFUSED, "format",
                "exportId", "exportedAt", "requestedThrough", "sensitiveValues");
    }
}
