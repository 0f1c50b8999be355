package io.consenthub.outbox;

import io.consenthub.contact.ContactId;

import java.time.Instant;

/** One message waiting to leave the hub, as a delivery route receives it. */
public record OutboxMessage(long id, String messageId, String kind, String destination, ContactId contactId,
                            String batchId, String payload, int attempts, Instant createdAt) {
}
