package io.consenthub.consent.optin;

import java.util.Objects;

/**
 * What {@link OptInRules} says about one attempted action: apply it (possibly keeping the same
 * status, e.g. a recorded double-opt-in request), ignore it as already satisfied, or refuse it
 * with a reason a person can read.
 */
public record OptInDecision(Outcome outcome, EmailOptInStatus next, String reason) {

    public enum Outcome { APPLY, UNCHANGED, REFUSE }

    public OptInDecision {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(reason, "reason");
    }

    static OptInDecision apply(EmailOptInStatus next, String reason) {
        return new OptInDecision(Outcome.APPLY, next, reason);
    }

    static OptInDecision unchanged(EmailOptInStatus current, String reason) {
        return new OptInDecision(Outcome.UNCHANGED, current, reason);
    }

    static OptInDecision refuse(String reason) {
        return new OptInDecision(Outcome.REFUSE, null, reason);
    }

    public boolean refused() {
        return outcome == Outcome.REFUSE;
    }

    public boolean applies() {
        return outcome == Outcome.APPLY;
    }
}
