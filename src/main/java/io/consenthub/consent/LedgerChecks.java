package io.consenthub.consent;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The checks a ledger verification makes, shared by the full walk ({@link ConsentLedger#verify()})
 * and the scheduled, incremental one ({@link LedgerWatch}), so both name a problem the same way.
 */
final class LedgerChecks {

    private LedgerChecks() {
    }

    /** Checks one row against the row before it: its seq, its link to the previous hash, its own hash. */
    static void checkLink(StoredEvent row, long expectedSeq, String previousHash, List<LedgerVerification.Problem> problems) {
        ConsentEvent event = row.event();
        if (event.seq() != expectedSeq) {
            problems.add(new LedgerVerification.Problem(event.seq(), event.eventId(), "missing-rows",
                    "expected seq " + expectedSeq + " but found " + event.seq()
                            + ": rows " + expectedSeq + ".." + (event.seq() - 1) + " were deleted"));
        }
        if (!event.prevHash().equals(previousHash)) {
            problems.add(new LedgerVerification.Problem(event.seq(), event.eventId(), "broken-chain",
                    "prev_hash does not match the hash of the row before it: a row was inserted, deleted or re-ordered"));
        }
        checkHash(row, problems);
    }

    /** Checks that a row's contents still match the hash it was written with. */
    static void checkHash(StoredEvent row, List<LedgerVerification.Problem> problems) {
        ConsentEvent event = row.event();
        if (!row.hash(event.prevHash()).equals(event.hash())) {
            problems.add(new LedgerVerification.Problem(event.seq(), event.eventId(), "edited",
                    "the row's contents do not match its hash: it was changed after it was written"));
        }
    }

    /** Folds a state-changing event into the replayed projection. */
    static void replay(StoredEvent row, Map<String, String> replayed) {
        ConsentEvent event = row.event();
        if (event.type().changesState()) {
            replayed.put(key(event.contactId().value(), event.subject()), event.value());
        }
    }

    /** Compares projection rows with the replay; what is left in {@code replayed} is missing from the projection. */
    static void compareProjection(LedgerStore.StateRow row, Map<String, String> replayed, List<LedgerVerification.Problem> problems) {
        String expected = replayed.remove(key(row.contactId(), row.subject()));
        if (!row.value().equals(expected)) {
            problems.add(new LedgerVerification.Problem(null, null, "projection-mismatch",
                    "contact " + row.contactId() + " " + row.subject() + " is '" + row.value()
                            + "' but the events say " + (expected == null ? "nothing" : "'" + expected + "'")));
        }
    }

    static void missingFromProjection(Map<String, String> replayed, List<LedgerVerification.Problem> problems) {
        replayed.forEach((k, v) -> problems.add(new LedgerVerification.Problem(null, null, "projection-mismatch",
                k + " is '" + v + "' by the events but missing from the projection")));
    }

    private static String key(UUID contact, String subject) {
        return contact + " " + subject;
    }
}
