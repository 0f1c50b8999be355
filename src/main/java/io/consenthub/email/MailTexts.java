package io.consenthub.email;

import io.consenthub.consent.PurposeCatalog;
import io.consenthub.contact.ContactId;
import io.consenthub.contact.ContactLanguages;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;

import java.util.Locale;

/**
 * The words of the hub's own mails, in the contact's language ({@link ContactLanguages}): the same
 * message bundles as the pages ({@code messages*.properties}, keys {@code mail.*}), so a mail and
 * the page it links to always speak alike. Purposes are named by their label, never their id.
 */
@Component
public class MailTexts {

    private final MessageSource messages;
    private final ContactLanguages languages;
    private final PurposeCatalog catalog;

    MailTexts(MessageSource messages, ContactLanguages languages, PurposeCatalog catalog) {
        this.messages = messages;
        this.languages = languages;
        this.catalog = catalog;
    }

    /** The language to write to this contact in. */
    public Locale localeOf(ContactId contact) {
        return languages.of(contact);
    }

    Locale localeOf(io.consenthub.contact.Contact contact) {
        return languages.of(contact);
    }

    public String text(Locale locale, String key, Object... args) {
        return messages.getMessage(key, args, locale);
    }

    /** A purpose's label in this language (its id only if it is no longer configured). */
    public String label(String purpose, Locale locale) {
        return catalog.find(purpose).map(p -> p.label(locale.getLanguage())).orElse(purpose);
    }

    /** A ready payload of one of the hub's own mails ({@code mail.<name>.subject} and {@code .text}). */
    public EmailPayload payload(ContactId contact, io.consenthub.decision.EmailKind kind, String name, String requestedBy,
                         Object... args) {
        Locale locale = localeOf(contact);
        return new EmailPayload(kind, text(locale, "mail." + name + ".subject"), text(locale, "mail." + name + ".text", args),
                null, null, null, null, requestedBy);
    }
}
