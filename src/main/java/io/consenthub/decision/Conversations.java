package io.consenthub.decision;

import io.consenthub.contact.ContactId;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Locale;

/**
 * Mail contacts sent to the hub, kept by Message-ID: the proof that a conversation was started by
 * the contact, which is what allows a reply to an opted-out contact.
 */
@Service
public class Conversations {

    private final JdbcClient jdbc;

    Conversations(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Records an inbound message once; false when its Message-ID was already recorded. */
    @Transactional
    public boolean recordInbound(String messageId, ContactId contact, String from, String subject, Instant receivedAt) {
        String id = normalise(messageId);
        if (id.isEmpty()) {
            return false;
        }
        if (jdbc.sql("select count(*) from inbound_mail where message_id = ?").param(id).query(Long.class).single() > 0) {
            return false;
        }
        jdbc.sql("insert into inbound_mail (message_id, contact_id, from_address, subject, received_at) values (?, ?, ?, ?, ?)")
                .params(id, contact == null ? null : contact.value(), from, subject == null ? null
                        : subject.length() > 1000 ? subject.substring(0, 1000) : subject, OffsetDateTime.ofInstant(receivedAt, ZoneOffset.UTC))
                .update();
        return true;
    }

    /** Whether any of the referenced Message-IDs is mail this contact sent us. */
    @Transactional(readOnly = true)
    public boolean startedByContact(ContactId contact, Collection<String> references) {
        for (String reference : references) {
            String id = normalise(reference);
            if (!id.isEmpty() && jdbc.sql("select count(*) from inbound_mail where message_id = ? and contact_id = ?")
                    .params(id, contact.value()).query(Long.class).single() > 0) {
                return true;
            }
        }
        return false;
    }

    static String normalise(String messageId) {
        if (messageId == null) {
            return "";
        }
        String id = messageId.trim();
        if (id.startsWith("<") && id.endsWith(">")) {
            id = id.substring(1, id.length() - 1);
        }
        return id.toLowerCase(Locale.ROOT);
    }
}
