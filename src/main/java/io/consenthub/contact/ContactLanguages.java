package io.consenthub.contact;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The language the hub writes to a contact in — mail as well as pages. The contact's own choice
 * wins: the language of the last page on which they acted (a form they submitted or a button they
 * pressed, never a mere GET a scanner could make). Without one, the CRM's {@code language}
 * attribute ("sv", "sv-SE", "Swedish"); otherwise English.
 */
@Service
public class ContactLanguages {

    /** The languages the hub's pages and mails are written in; English is the fallback. */
    public static final Set<String> SUPPORTED = Set.of("en", "sv");
    /** The contact attribute a CRM may set to choose the language. */
    public static final String ATTRIBUTE = "language";

    private final JdbcClient jdbc;
    private final ContactDirectory contacts;
    private final Clock clock;

    ContactLanguages(JdbcClient jdbc, ContactDirectory contacts, Clock clock) {
        this.jdbc = jdbc;
        this.contacts = contacts;
        this.clock = clock;
    }

    /** Remembers the language of a page the contact acted on; unsupported languages are ignored. */
    @Transactional
    public void remember(ContactId contact, Locale pageLocale) {
        Optional<String> language = supported(pageLocale == null ? null : pageLocale.getLanguage());
        if (language.isEmpty()) {
            return;
        }
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        int updated = jdbc.sql("update contact_language set language = ?, updated_at = ? where contact_id = ?")
                .params(language.get(), now, contact.value())
                .update();
        if (updated == 0) {
            jdbc.sql("""
                    insert into contact_language (contact_id, language, updated_at)
                    select ?, ?, ? where not exists (select 1 from contact_language where contact_id = ?)""")
                    .params(contact.value(), language.get(), now, contact.value())
                    .update();
        }
    }

    /** The contact's language: last page language, else the {@code language} attribute, else English. */
    @Transactional(readOnly = true)
    public Locale of(ContactId contact) {
        return pageLanguage(contact).or(() -> supported(contacts.get(contact).attributes().values().get(ATTRIBUTE)))
                .map(Locale::forLanguageTag).orElse(Locale.ENGLISH);
    }

    /** The same for a contact already read (one query fewer, e.g. per campaign mail). */
    @Transactional(readOnly = true)
    public Locale of(Contact contact) {
        return pageLanguage(contact.id()).or(() -> supported(contact.attributes().values().get(ATTRIBUTE)))
                .map(Locale::forLanguageTag).orElse(Locale.ENGLISH);
    }

    private Optional<String> pageLanguage(ContactId contact) {
        return jdbc.sql("select language from contact_language where contact_id = ?")
                .param(contact.value())
                .query(String.class)
                .optional();
    }

    /** "sv", "SV", "sv-SE", "sv_SE", "Swedish", "svenska" → sv; likewise English; anything else → empty. */
    static Optional<String> supported(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (v.equals("swedish") || v.equals("svenska")) {
            return Optional.of("sv");
        }
        if (v.equals("english")) {
            return Optional.of("en");
        }
        String primary = v.split("[-_]", 2)[0];
        return SUPPORTED.contains(primary) ? Optional.of(primary) : Optional.empty();
    }
}
