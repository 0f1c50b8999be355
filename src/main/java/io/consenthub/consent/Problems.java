package io.consenthub.consent;

import java.util.ArrayList;
import java.util.List;

/**
 * What a verification found, counted in full but kept only up to {@link #KEPT}: a wholesale rewrite
 * is one problem per contact, and the answer must not grow with the ledger.
 */
final class Problems {

    static final int KEPT = 1_000;

    private final List<LedgerVerification.Problem> kept = new ArrayList<>();
    private long count;

    void add(Long seq, java.util.UUID eventId, String kind, String detail) {
        count++;
        if (kept.size() < KEPT) {
            kept.add(new LedgerVerification.Problem(seq, eventId, kind, detail));
        }
    }

    void add(String kind, String detail) {
        add(null, null, kind, detail);
    }

    long count() {
        return count;
    }

    boolean none() {
        return count == 0;
    }

    List<LedgerVerification.Problem> kept() {
        return List.copyOf(kept);
    }
}
