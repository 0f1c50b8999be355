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

    /**
     * The status a ledger projection holds: never answered is {@link #NONE}. The one parser of
     * stored statuses, used only inside {@code consent}.
     */
    public static EmailOptInStatus ofStored(String stored) {
        return stored == null ? NONE : valueOf(stored);
    }

    public boolean isOptOut() {
        return this == OPT_OUT_USER || this == OPT_OUT_CONTACT;
    }
}
