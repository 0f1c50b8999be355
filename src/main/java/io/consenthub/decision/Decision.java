package io.consenthub.decision;

/** The answer to "may this happen to this contact now?": yes or no, the rule that decided, and why. */
public record Decision(boolean allowed, String rule, String reason) {

    static Decision allow(String rule, String reason) {
        return new Decision(true, rule, reason);
    }

    static Decision refuse(String rule, String reason) {
        return new Decision(false, rule, reason);
    }
}
