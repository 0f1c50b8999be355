package io.consenthub.contact;

import io.consenthub.shared.InvalidInputException;

import java.util.Objects;
import java.util.UUID;

/** The hub's own identifier of a person, independent of any CRM's record id. */
public record ContactId(UUID value) {

    public ContactId {
        Objects.requireNonNull(value, "value");
    }

    public static ContactId random() {
        return new ContactId(UUID.randomUUID());
    }

    /** Parses an id that came from outside; a malformed one is the caller's mistake, not a crash. */
    public static ContactId parse(String text) {
        try {
            return new ContactId(UUID.fromString(text == null ? "" : text.trim()));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("'" + text + "' is not a contact id (expected a UUID)");
        }
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
