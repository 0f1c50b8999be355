package io.consenthub.access;

import io.consenthub.contact.ContactId;
import io.consenthub.contact.PrimaryEmailChanged;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * When the contact's address on record last changed, noted in the change's transaction. The
 * address decides who receives an export link; a key that may change it must not be able to send
 * sensitive values in plaintext to a mailbox of its own, so plaintext waits until the address has
 * been on record for {@code consent-hub.access-export.plaintext-after-mailbox-change}.
 */
@Component
class MailboxChanges {

    private final JdbcClient jdbc;
    private final Clock clock;

    MailboxChanges(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @EventListener
    void onChange(PrimaryEmailChanged change) {
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        int updated = jdbc.sql("update mailbox_change set changed_at = ? where contact_id = ?")
                .params(now, change.contactId().value()).update();
        if (updated == 0) {
            jdbc.sql("insert into mailbox_change (contact_id, changed_at) values (?, ?)").params(change.contactId().value(), now).update();
        }
    }

    Optional<Instant> lastChange(ContactId contact) {
        return jdbc.sql("select changed_at from mailbox_change where contact_id = ?").param(contact.value())
                .query((rs, n) -> rs.getObject(1, OffsetDateTime.class).toInstant()).optional();
    }
}
