package io.consenthub.consent;

import io.consenthub.contact.ContactId;

import java.util.List;

/**
 * Published inside the appending transaction for the events a contact made themselves (actor
 * {@link ActorKind#CONTACT}: a confirmed preference change, a double opt-in, a web form, a one-click
 * unsubscribe), so a receipt can be issued for them atomically with the change. One per contact and
 * append call; listeners run synchronously and must only write to the store.
 */
public record ContactActed(ContactId contactId, List<ConsentEvent> events) {

    public ContactActed {
        events = List.copyOf(events);
    }
}
