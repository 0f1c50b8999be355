package io.consenthub.email;

import io.consenthub.contact.ContactDataHolder;
import io.consenthub.contact.ContactId;
import io.consenthub.outbox.Outbox;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Erasure of the contact's mail: the emails' payloads (address, subject, texts) are erased and the
 * undelivered ones cancelled, their ids and outcomes kept so campaign counts stand; the inbound
 * mail and the engagement (opens, clicks, URLs) recorded for the contact are deleted.
 */
@Component
class EmailErasure implements ContactDataHolder {

    private final Outbox outbox;
    private final JdbcClient jdbc;

    EmailErasure(Outbox outbox, JdbcClient jdbc) {
        this.outbox = outbox;
        this.jdbc = jdbc;
    }

    @Override
    public String name() {
        return "email";
    }

    @Override
    public int erase(ContactId contact) {
        return outbox.erasePayloads(contact, Emails.OUTBOX_KIND)
                + jdbc.sql("delete from inbound_mail where contact_id = ?").param(contact.value()).update()
                + jdbc.sql("delete from engagement where contact_id = ?").param(contact.value()).update();
    }
}
