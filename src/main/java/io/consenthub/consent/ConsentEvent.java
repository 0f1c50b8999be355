package io.consenthub.consent;

import io.consenthub.contact.ContactId;

import java.util.UUID;

/**
 * One appended ledger row. {@code subject} is a purpose id or {@link PurposeCatalog#EMAIL_OPT_IN_SUBJECT};
 * {@code value} is the new value (GRANTED/REVOKED or an opt-in status). The evidence's IP, user
 * agent and note are the decrypted values; {@code evidenceErased} says the contact's key was
 * destroyed, so those three read as null for good (the stored ciphertext and the chain remain).
 *
 * <p>{@code seq} is unique and grows within a contact but has gaps and no global order (it comes from
 * a database sequence, so appends of different contacts never wait for each other). The ledger is one
 * hash chain per contact: {@code contactSeq} is the event's gapless position in its contact's chain
 * (1, 2, …) and {@code prevHash} the hash of the contact's event before it. A global order exists only
 * between checkpoints ({@link LedgerCheckpoints}). {@code contactSeq} is 0 only for an event read by a
 * migration from a ledger written before per-contact chains.
 */
public record ConsentEvent(long seq, UUID eventId, ContactId contactId, EventType type, String subject,
                           String value, String previousValue, Evidence evidence, String prevHash, String hash,
                           boolean evidenceErased, long contactSeq) {

    public ConsentEvent(long seq, UUID eventId, ContactId contactId, EventType type, String subject,
                        String value, String previousValue, Evidence evidence, String prevHash, String hash) {
        this(seq, eventId, contactId, type, subject, value, previousValue, evidence, prevHash, hash, false, 0);
    }

    public ConsentEvent(long seq, UUID eventId, ContactId contactId, EventType type, String subject,
                        String value, String previousValue, Evidence evidence, String prevHash, String hash,
                        boolean evidenceErased) {
        this(seq, eventId, contactId, type, subject, value, previousValue, evidence, prevHash, hash, evidenceErased, 0);
    }

    /** This event at position {@code position} of its contact's chain. */
    ConsentEvent atContactSeq(long position) {
        return new ConsentEvent(seq, eventId, contactId, type, subject, value, previousValue, evidence, prevHash, hash,
                evidenceErased, position);
    }
}
