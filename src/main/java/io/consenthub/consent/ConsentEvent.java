package io.consenthub.consent;

import io.consenthub.contact.ContactId;

import java.util.UUID;

/**
 * One appended ledger row. {@code subject} is a purpose id or {@link PurposeCatalog#EMAIL_OPT_IN_SUBJECT};
 * {@code value} is the new value (GRANTED/REVOKED or an opt-in status).
 */
public record ConsentEvent(long seq, UUID eventId, ContactId contactId, EventType type, String subject,
                           String value, String previousValue, Evidence evidence, String prevHash, String hash) {
}
