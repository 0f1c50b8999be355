package io.consenthub.email;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.consenthub.contact.ContactId;
import io.consenthub.outbox.NewOutboxMessage;
import io.consenthub.outbox.Outbox;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.util.UUID;

/**
 * The way into outbound email: every kind of email is enqueued here into the outbox, in the caller's
 * transaction, and leaves only through the gated delivery route in {@code routes/email/}.
 */
@Service
public class Emails {

    /** The outbox kind of email messages. */
    public static final String OUTBOX_KIND = "EMAIL";

    private final Outbox outbox;
    private final ObjectMapper json;
    private final MailSettings settings;

    Emails(Outbox outbox, ObjectMapper json, MailSettings settings) {
        this.outbox = outbox;
        this.json = json;
        this.settings = settings;
    }

    /** Enqueues an email to a contact and returns its Message-ID. */
    @Transactional
    public String enqueue(ContactId contact, EmailPayload payload, String batchId) {
        String messageId = "<" + UUID.randomUUID() + "@" + settings.messageIdDomain() + ">";
        try {
            outbox.enqueue(new NewOutboxMessage(messageId, OUTBOX_KIND, payload.kind().name(), contact, batchId,
                    json.writeValueAsString(payload)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("email payload could not be written", e);
        }
        return messageId;
    }

    EmailPayload read(String payload) {
        try {
            return json.readValue(payload, EmailPayload.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("outbox email payload is not readable", e);
        }
    }
}
