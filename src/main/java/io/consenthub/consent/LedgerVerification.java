package io.consenthub.consent;

import java.util.List;
import java.util.UUID;

/**
 * The result of verifying the ledger: every contact's hash chain, its head, its projection rows, and
 * the chains against the latest signed checkpoint ({@code checkpoint}, with the Merkle root it
 * signed; null while none was sealed). {@code problems} name what does not check out, at most
 * {@value Problems#KEPT} of them ({@code problemCount} says how many there were), so a verify of a
 * ruined ledger still answers in constant memory; none means the ledger is intact.
 */
public record LedgerVerification(boolean ok, long eventsChecked, long contactsChecked, Long checkpoint, String checkpointRoot,
                                 long problemCount, List<Problem> problems) {

    public LedgerVerification {
        problems = List.copyOf(problems);
    }

    /** One row, chain or checkpoint that fails verification and why; {@code seq} and {@code eventId} when it is one event. */
    public record Problem(Long seq, UUID eventId, String kind, String detail) {
    }
}
