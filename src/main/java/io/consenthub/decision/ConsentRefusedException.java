package io.consenthub.decision;

import io.consenthub.shared.ConflictException;

/**
 * Thrown when the decision service refuses an act: into a route by the consent gate (the route's
 * error handler records the outcome, e.g. marks the outbox message REFUSED, and never retries it),
 * or to an API caller, who gets a 409 with the rule and its reason.
 */
public class ConsentRefusedException extends ConflictException {

    private final transient Decision decision;

    public ConsentRefusedException(Decision decision) {
        super("refused by rule " + decision.rule() + ": " + decision.reason());
        this.decision = decision;
    }

    public Decision decision() {
        return decision;
    }
}
