package io.consenthub.preference;

import io.consenthub.consent.PurposeCatalog;

/**
 * One change a contact proposed on the preference page: a purpose to grant or revoke, or, with
 * {@code purpose} null, unsubscribing from all marketing email. A web form's marketing opt-in for
 * a known contact is held as the change of the opt-in subject itself ({@link #webFormOptIn()}):
 * an unverified form must not move the status until the address on record confirms it.
 */
record Change(String purpose, boolean granted) {

    static Change unsubscribeAll() {
        return new Change(null, true);
    }

    static Change webFormOptIn() {
        return new Change(PurposeCatalog.EMAIL_OPT_IN_SUBJECT, true);
    }

    boolean isUnsubscribeAll() {
        return purpose == null;
    }

    boolean isWebFormOptIn() {
        return PurposeCatalog.EMAIL_OPT_IN_SUBJECT.equals(purpose);
    }
}
