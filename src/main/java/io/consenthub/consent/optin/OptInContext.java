package io.consenthub.consent.optin;

import java.time.Instant;

/**
 * The facts from a contact's ledger that the rules need besides the current status.
 *
 * @param now                        the decision time
 * @param lastDoubleOptInRequestAt   when a double-opt-in email was last requested, or null
 * @param statusBeforeUserOptOut     what the status was before the current OPT_OUT_USER, or null
 */
public record OptInContext(Instant now, Instant lastDoubleOptInRequestAt, EmailOptInStatus statusBeforeUserOptOut) {

    public static OptInContext at(Instant now) {
        return new OptInContext(now, null, null);
    }
}
