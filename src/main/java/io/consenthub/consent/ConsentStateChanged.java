package io.consenthub.consent;

import io.consenthub.contact.ContactId;

/**
 * Published inside the appending transaction whenever a contact's consent state changes, so that
 * listeners (CRM write-back, partner revocations, cache invalidation) enqueue their work atomically
 * with the change. Listeners run synchronously and must only write to the outbox or the store.
 */
public record ConsentStateChanged(ContactId contactId, long seq, EventType type, String subject, String value,
                                  String previousValue) {
}
