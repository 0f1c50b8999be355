package io.consenthub.preference;

import io.consenthub.consent.ContactFilter;
import io.consenthub.consent.ContactQueries;
import io.consenthub.contact.Contact;
import io.consenthub.contact.ContactDirectory;
import io.consenthub.email.EmailComposer;
import io.consenthub.email.Emails;
import io.consenthub.decision.EmailKind;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * Tells each contact who matches the notify condition, once, that the preference page is open to
 * them, with their personal link. Run by {@code routes/preference/preference-notices.camel.yaml}.
 * The mail goes through the consent gate like every other (an opted-out contact is not mailed).
 */
@Component("preferenceNotices")
public class PreferenceNotices {

    private final PreferenceSettings settings;
    private final Conditions conditions;
    private final ContactQueries queries;
    private final ContactDirectory contacts;
    private final Emails emails;
    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final io.consenthub.email.MailTexts texts;

    PreferenceNotices(PreferenceSettings settings, Conditions conditions, ContactQueries queries, ContactDirectory contacts,
                      Emails emails, JdbcClient jdbc, TransactionTemplate tx, Clock clock, io.consenthub.email.MailTexts texts) {
        this.texts = texts;
        this.settings = settings;
        this.conditions = conditions;
        this.queries = queries;
        this.contacts = contacts;
        this.emails = emails;
        this.jdbc = jdbc;
        // Its own transaction per contact: the contacts are read page by page inside the query
        // service's read-only transaction, which PostgreSQL (unlike H2) refuses to write in.
        this.tx = new TransactionTemplate(tx.getTransactionManager());
        this.tx.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.clock = clock;
    }

    /** Returns how many contacts were notified in this run. */
    public int notifyDue() {
        if (settings.notifyCondition() == null || settings.notifyCondition().isBlank()) {
            return 0;
        }
        var notified = new int[1];
        queries.forEachMatching(new ContactFilter(List.of(), Map.of(), null, 0, 1), id -> {
            Contact contact = contacts.get(id);
            if (conditions.test(settings.notifyCondition(), contact.attributes().values())
                    && conditions.test(settings.accessCondition(), contact.attributes().values())
                    && Boolean.TRUE.equals(tx.execute(s -> notifyOnce(contact)))) {
                notified[0]++;
            }
        });
        return notified[0];
    }

    private boolean notifyOnce(Contact contact) {
        if (jdbc.sql("select count(*) from preference_notice where contact_id = ?").param(contact.id().value())
                .query(Long.class).single() > 0) {
            return false;
        }
        jdbc.sql("insert into preference_notice (contact_id, sent_at) values (?, ?)")
                .params(contact.id().value(), OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
                .update();
        emails.enqueue(contact.id(), texts.payload(contact.id(), EmailKind.WORKFLOW, "announcement", "preference-notice",
                EmailComposer.PREFERENCE_LINK), null);
        return true;
    }
}
