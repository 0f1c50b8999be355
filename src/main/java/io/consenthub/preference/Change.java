package io.consenthub.preference;

/**
 * One change a contact proposed on the preference page: a purpose to grant or revoke, or, with
 * {@code purpose} null, unsubscribing from all marketing email.
 */
record Change(String purpose, boolean granted) {

    static Change unsubscribeAll() {
        return new Change(null, true);
    }

    boolean isUnsubscribeAll() {
        return purpose == null;
    }
}
