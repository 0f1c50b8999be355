package io.consenthub.consent.optin;

/**
 * The six Email Opt-In Statuses of DESIGN §1.3. Every contact holds exactly one; it only moves
 * through {@link OptInRules}, so the rules that protect a contact's choice live in one place.
 */
public enum EmailOptInStatus {
    NONE,
    SINGLE_OPT_IN_USER,
    SINGLE_OPT_IN_WEBFORM,
    DOUBLE_OPT_IN,
    OPT_OUT_USER,
    OPT_OUT_CONTACT;

    public boolean isOptOut() {
        return this == OPT_OUT_USER || this == OPT_OUT_CONTACT;
    }
}
