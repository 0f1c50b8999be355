package io.consenthub.email;

import io.consenthub.contact.ContactDataHolder;
import io.consenthub.contact.ContactId;
import io.consenthub.outbox.Outbox;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Erasure of the contact's mail: the emails' payloads (address, subject, texts) are erased and the
 * undelivered ones cancelled, their ids and outcomes kept so campaign counts stand; the inbound
 * mail and the engagement (opens, clicks, URLs) recorded for the contact are deleted. The access
 * export shows the same three: every email with its outcome (sent, refused and why), the mail
 * received from the contact, and the engagement recorded.
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

    @Override
    public Object export(ContactId contact) {
        List<Map<String, Object>> messages = outbox.ofContact(contact, List.of(Emails.OUTBOX_KIND)).stream().map(m -> {
            var message = new LinkedHashMap<String, Object>();
            message.put("messageId", m.get("messageId"));
            message.put("kind", m.get("destination"));
            message.put("status", m.get("status"));
            message.put("reason", m.get("reason"));
            message.put("enqueuedAt", m.get("enqueuedAt"));
            message.put("finishedAt", m.get("finishedAt"));
            return (Map<String, Object>) message;
        }).toList();
        var received = jdbc.sql("select message_id, subject, received_at from inbound_mail where contact_id = ? order by received_at")
                .param(contact.value())
                .query((rs, n) -> {
                    var mail = new LinkedHashMap<String, Object>();
                    mail.put("messageId", rs.getString(1));
                    mail.put("subject", rs.getString(2));
                    mail.put("receivedAt", rs.getObject(3, OffsetDateTime.class).toInstant());
                    return (Map<String, Object>) mail;
                }).list();
        var engagement = jdbc.sql("select message_id, kind, url, occurred_at from engagement where contact_id = ? order by id")
                .param(contact.value())
                .query((rs, n) -> {
                    var event = new LinkedHashMap<String, Object>();
                    event.put("messageId", rs.getString(1));
                    event.put("kind", rs.getString(2));
                    event.put("url", rs.getString(3));
                    event.put("occurredAt", rs.getObject(4, OffsetDateTime.class).toInstant());
                    return (Map<String, Object>) event;
                }).list();
        var section = new LinkedHashMap<String, Object>();
        section.put("sent", messages);
        section.put("received", received);
        section.put("engagement", engagement);
        return section;
    }
}
