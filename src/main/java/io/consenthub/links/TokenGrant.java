package io.consenthub.links;

import io.consenthub.contact.ContactId;

import java.time.Instant;

/**
 * What a valid token grants: the contact it is bound to and its reference (a message id, a change
 * set, a link target). {@code proofId} names the token in evidence without revealing it.
 */
public record TokenGrant(TokenPurpose purpose, ContactId contactId, String reference, Instant expiresAt, String proofId) {
}
