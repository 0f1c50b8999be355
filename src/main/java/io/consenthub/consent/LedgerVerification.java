package io.consenthub.consent;

import java.util.List;
import java.util.UUID;

/**
 * The result of re-walking the ledger's hash chain and replaying it against the projection.
 * {@code problems} name the rows that do not check out; empty means the ledger is intact.
 */
public record LedgerVerification(boolean ok, long eventsChecked, String headHash, List<Problem> problems) {

    public LedgerVerification {
        problems = List.copyOf(problems);
    }

    /** One row (or the head, when {@code seq} is null) that fails verification and why. */
    public record Problem(Long seq, UUID eventId, String kind, String detail) {
    }
}
