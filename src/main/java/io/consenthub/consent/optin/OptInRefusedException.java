package io.consenthub.consent.optin;

import io.consenthub.shared.ConflictException;

/** {@link OptInRules} refused an action; answered 409 and nothing is written. */
public class OptInRefusedException extends ConflictException {

    public OptInRefusedException(EmailOptInStatus current, OptInAction action, String reason) {
        super("cannot " + action + " while the contact is " + current + ": " + reason);
    }
}
