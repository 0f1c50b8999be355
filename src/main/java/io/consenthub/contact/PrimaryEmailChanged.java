package io.consenthub.contact;

/**
 * Published inside the transaction that changes a contact's primary email to another mailbox.
 * Whatever was bound to the old address — links mailed there, changes awaiting confirmation
 * there — must not act on the new one; listeners revoke it in the same transaction.
 */
public record PrimaryEmailChanged(ContactId contactId, EmailAddress previous, EmailAddress current) {
}
