package io.consenthub.links;

/** What a link token lets its holder do; a token is valid for exactly one purpose. */
public enum TokenPurpose {
    /** Confirm a double opt-in: single use. */
    DOUBLE_OPT_IN,
    /** Open the unsubscribe page and unsubscribe with one click: reusable until it expires. */
    UNSUBSCRIBE,
    /** Open the preference page. */
    PREFERENCES,
    /** Confirm a pending preference change set: single use. */
    PREFERENCE_CHANGE,
    /** Download the contact's access export once, after confirming the request from the mailbox: single use. */
    ACCESS_EXPORT,
    /** A tracking pixel or tracked link of one email. */
    TRACKING
}
