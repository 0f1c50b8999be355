package io.consenthub.outbox;

import io.consenthub.contact.ContactId;

import java.util.Objects;

/**
 * A message to enqueue. {@code messageId} is its idempotency key; {@code batchId} groups messages
 * of one campaign or import for progress reporting.
 */
public record NewOutboxMessage(String messageId, String kind, String destination, ContactId contactId,
                               String batchId, String payload) {

    public NewOutboxMessage {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(payload, "payload");
    }
}
