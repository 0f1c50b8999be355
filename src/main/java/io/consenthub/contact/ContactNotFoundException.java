package io.consenthub.contact;

import io.consenthub.shared.NotFoundException;

/** The id named by a caller is not a contact the hub holds. */
public class ContactNotFoundException extends NotFoundException {

    public ContactNotFoundException(ContactId id) {
        super("no contact with id " + id);
    }
}
