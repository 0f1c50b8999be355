package io.consenthub.partner;

import java.time.Duration;
import java.time.Instant;

/**
 * One partner's circuit on this member. Closed, it lets every call through; after {@code failures}
 * failed calls in a row it opens and nothing is claimed for the partner until {@code openFor} has
 * passed; then it is half-open: one call (the trial) goes, its success closes it, its failure
 * opens it again at once. It only spares attempts and threads: what waits meanwhile stays in the outbox.
 */
final class Circuit {

    enum State { CLOSED, OPEN, HALF_OPEN }

    private final int failuresToOpen;
    private final Duration openFor;
    private int failuresInARow;
    private Instant openUntil;
    private boolean trialInFlight;

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
        return state(now) == State.CLOSED || (state(now) == State.HALF_OPEN && !trialInFlight);
    }

    /**
     * Takes the right to call now: always while closed; while half-open only one call at a time
     * (the trial), until it succeeds or fails; never while open.
     */
    synchronized boolean tryCall(Instant now) {
        State state = state(now);
        if (state == State.CLOSED) {
            return true;
        }
        if (state == State.HALF_OPEN && !trialInFlight) {
            trialInFlight = true;
            return true;
        }
        return false;
    }

    synchronized void succeeded() {
        failuresInARow = 0;
        openUntil = null;
        trialInFlight = false;
    }

    synchronized void failed(Instant now) {
        trialInFlight = false;
        failuresInARow++;
        if (openUntil != null || failuresInARow >= failuresToOpen) {
            openUntil = now.plus(openFor);
        }
    }

    synchronized int failuresInARow() {
        return failuresInARow;
    }
}
