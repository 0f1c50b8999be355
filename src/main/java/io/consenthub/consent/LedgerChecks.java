package io.consenthub.consent;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The checks of one contact's ledger, shared by the full walk ({@link LedgerVerifier}), the check of
 * one contact and the scheduled, incremental one ({@link LedgerWatch}), so all name a problem the
 * same way. Feed the contact's events in chain order to {@link #event}, then call {@link #finish}
 * with its chain head, its sealed head and its projection rows. Memory is that of one contact.
 */
final class LedgerChecks {

    /** The head the latest checkpoint sealed for a contact: its position and that event's hash. */
    record Sealed(long contactSeq, String hash, long checkpoint) {
    }

    private final UUID contact;
    private final Sealed sealed;
    private final Problems problems;
    private final Map<String, String> replayed = new HashMap<>();
    private long position;
    private String previousHash = EventHash.GENESIS;
    private String hashAtSealed;
    private long events;

    LedgerChecks(UUID contact, Sealed sealed, Problems problems) {
        this.contact = contact;
        this.sealed = sealed;
        this.problems = problems;
    }

    /** Checks the contact's next event against the one before it: its position, its link, its own hash. */
    void event(StoredEvent row) {
        ConsentEvent event = row.event();
        events++;
        long expected = position + 1;
        if (event.contactSeq() != expected) {
            problems.add(event.seq(), event.eventId(), "missing-rows", "contact " + contact + ": expected position " + expected
                    + " of its chain but found " + event.contactSeq() + ": events " + expected + ".." + (event.contactSeq() - 1)
                    + " were deleted");
        }
        checkLink(row, previousHash, problems);
        if (sealed != null && event.contactSeq() == sealed.contactSeq()) {
            hashAtSealed = event.hash();
        }
        if (event.type().changesState()) {
            replayed.put(event.subject(), event.value());
        }
        position = event.contactSeq();
        previousHash = event.hash();
    }

    /** Checks one row's link to the event before it in its chain and its contents against its hash. */
    static void checkLink(StoredEvent row, String previousHash, Problems problems) {
        ConsentEvent event = row.event();
        if (!event.prevHash().equals(previousHash)) {
            problems.add(event.seq(), event.eventId(), "broken-chain",
                    "prev_hash does not match the hash of the event before it: an event was inserted, deleted or re-ordered");
        }
        if (!row.hash(event.prevHash()).equals(event.hash())) {
            problems.add(event.seq(), event.eventId(), "edited",
                    "the row's contents do not match its hash: it was changed after it was written");
        }
    }

    /**
     * Checks the end of the chain against its head row and the sealed head, and the projection rows
     * against the replayed events. {@code head} is null when the contact has no head row.
     */
    void finish(LedgerStore.Chain head, List<LedgerStore.StateRow> state) {
        if (events > 0 || head != null) {
            long headSeq = head == null ? 0 : head.lastContactSeq();
            String headHash = head == null ? EventHash.GENESIS : head.lastHash();
            if (headSeq != position || !headHash.equals(previousHash)) {
                problems.add("head-mismatch", "contact " + contact + ": its chain head says position " + headSeq
                        + " but the chain ends at position " + position + ": events at the end were deleted or the head was altered");
            }
        }
        if (sealed != null) {
            if (position < sealed.contactSeq()) {
                problems.add("truncated", "contact " + contact + ": checkpoint " + sealed.checkpoint() + " sealed its chain at position "
                        + sealed.contactSeq() + " but it ends at position " + position + ": events at the end were deleted");
            } else if (!sealed.hash().equals(hashAtSealed)) {
                problems.add("rewritten", "contact " + contact + ": the event at position " + sealed.contactSeq()
                        + " is not the one checkpoint " + sealed.checkpoint() + " sealed (its hash differs): the chain was rewritten");
            }
        }
        for (LedgerStore.StateRow row : state) {
            String expected = replayed.remove(row.subject());
            if (!row.value().equals(expected)) {
                problems.add("projection-mismatch", "contact " + contact + " " + row.subject() + " is '" + row.value()
                        + "' but the events say " + (expected == null ? "nothing" : "'" + expected + "'"));
            }
        }
        replayed.forEach((subject, value) -> problems.add("projection-mismatch", "contact " + contact + " " + subject + " is '"
                + value + "' by the events but missing from the projection"));
    }

    long events() {
        return events;
    }
}
