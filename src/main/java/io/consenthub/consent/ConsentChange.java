package io.consenthub.consent;

import io.consenthub.contact.ContactId;

import java.util.Objects;

/** An event about to be appended: everything but its position and hash. */
public record ConsentChange(ContactId contactId, EventType type, String subject, String value,
                            String previousValue, Evidence evidence) {

    public ConsentChange {
        Objects.requireNonNull(contactId, "contactId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(evidence, "evidence");
    }
}
