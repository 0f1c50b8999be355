package io.consenthub.consent;

import io.consenthub.contact.ContactId;

import java.util.UUID;

/**
 * One appended ledger row. {@code subject} is a purpose id or {@link PurposeCatalog#EMAIL_OPT_IN_SUBJECT};
 * {@code value} is the new value (GRANTED/REVOKED or an opt-in status). The evidence's IP, user
 * agent and note are the decrypted values; {@code evidenceErased} says the contact's key was
 * destroyed, so those three read as null for good (the stored ciphertext and the chain remain).
 */
public record ConsentEvent(long seq, UUID eventId, ContactId contactId, EventType type, String subject,
                           String value, String previousValue, Evidence evidence, String prevHash, String hash,
                           boolean evidenceErased) {

    public ConsentEvent(long seq, UUID eventId, ContactId contactId, EventType type, String subject,
                        String value, String previousValue, Evidence evidence, String prevHash, String hash) {
        this(seq, eventId, contactId, type, subject, value, previousValue, evidence, prevHash, hash, false);
    }
}
