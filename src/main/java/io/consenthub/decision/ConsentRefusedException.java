package io.consenthub.decision;

/**
 * Thrown into a route by the consent gate when a message may not go: the route's error handler
 * records the outcome (e.g. marks the outbox message REFUSED); it is never retried.
 */
public class ConsentRefusedException extends RuntimeException {

    private final transient Decision decision;

    public ConsentRefusedException(Decision decision) {
        super("refused by rule " + decision.rule() + ": " + decision.reason());
        this.decision = decision;
    }

    public Decision decision() {
        return decision;
    }
}
