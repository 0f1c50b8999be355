package io.consenthub.contact;

import io.consenthub.shared.ConflictException;

/**
 * A contact was to be created with an address on the suppression list: the person's data was
 * erased (at their request, by an admin, or by retention). The message names no address.
 */
public class SuppressedEmailException extends ConflictException {

    public SuppressedEmailException() {
        super("this address belongs to a person whose data was erased (GET /api/erasure-requests has the job);"
                + " it comes back only through the person's own web form");
    }
}
