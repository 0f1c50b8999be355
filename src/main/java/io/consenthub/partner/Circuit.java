package io.consenthub.partner;

import java.time.Duration;
import java.time.Instant;

/**
 * One partner's circuit on this member. Closed, it lets every call through; after {@code failures}
 * failed calls in a row it opens and nothing is claimed for the partner until {@code openFor} has
 * passed; then it is half-open: calls go again, the first success closes it, a failure opens it
 * again at once. It only spares attempts and threads: what waits meanwhile stays in the outbox.
 */
final class Circuit {

    enum State { CLOSED, OPEN, HALF_OPEN }

    private final int failuresToOpen;
    private final Duration openFor;
    private int failuresInARow;
    private Instant openUntil;

    Circuit(int failuresToOpen, Duration openFor) {
        this.failuresToOpen = failuresToOpen;
        this.openFor = openFor;
    }

    synchronized State state(Instant now) {
        if (openUntil == null) {
            return State.CLOSED;
        }
        return now.isBefore(openUntil) ? State.OPEN : State.HALF_OPEN;
    }

    synchronized boolean allows(Instant now) {
        return state(now) != State.OPEN;
    }

    synchronized void succeeded() {
        failuresInARow = 0;
        openUntil = null;
    }

    synchronized void failed(Instant now) {
        failuresInARow++;
        if (openUntil != null || failuresInARow >= failuresToOpen) {
            openUntil = now.plus(openFor);
        }
    }

    synchronized int failuresInARow() {
        return failuresInARow;
    }
}
