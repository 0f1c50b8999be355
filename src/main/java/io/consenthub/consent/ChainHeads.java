package io.consenthub.consent;

import io.consenthub.contact.ContactId;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What this member knows ahead of an append, so that the common append is one statement and the
 * commit: the chain heads its own appends committed, and event numbers drawn from the database's
 * sequence ahead of need (each one-statement write draws the next one along with it).
 *
 * <p>Nothing here is trusted. A head is only a guess of what {@code ledger_chain} holds: the write
 * moves the head only where the row still has exactly that position and hash, and appends nothing
 * otherwise (another member or transaction appended meanwhile, a chain was rewritten), and the
 * ledger then locks the head as before. A head's hash covers its event's {@code seq}, so a head the
 * database confirmed also confirms the seq the next event must exceed: a drawn number that is not
 * above it is never used for that contact ({@link #spareAbove}), so {@code seq} still grows within a
 * chain across members. Heads become known only when their transaction commits, and a transaction
 * sees its own appends first ({@link #wrote}).
 */
@Component
class ChainHeads {

    /** The head of a contact's chain after one of its events: position, hash and that event's seq. */
    record Head(long contactSeq, String hash, long seq) {

        LedgerStore.Chain chain() {
            return new LedgerStore.Chain(contactSeq, hash);
        }
    }

    /** Heads kept (least recently used dropped first): about 200 bytes each. */
    static final int HEADS = 10_000;
    /** Numbers drawn ahead; a write draws one more only while fewer are waiting. */
    static final int SPARES = 32;

    private final Map<ContactId, Head> committed = Collections.synchronizedMap(new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ContactId, Head> eldest) {
            return size() > HEADS;
        }
    });
    private final ConcurrentLinkedQueue<Long> spares = new ConcurrentLinkedQueue<>();
    private final AtomicInteger spareCount = new AtomicInteger();

    /** The contact's head as this transaction or this member last wrote it; a guess the write checks. */
    Optional<Head> known(ContactId contact) {
        InTransaction tx = inTransaction(false);
        Head own = tx == null ? null : tx.heads.get(contact);
        return Optional.ofNullable(own != null ? own : committed.get(contact));
    }

    /** Notes the head this transaction moved the contact's chain to; known to all once it commits. */
    void wrote(ContactId contact, Head head) {
        InTransaction tx = inTransaction(true);
        if (tx == null) {
            committed.put(contact, head);
        } else {
            tx.heads.put(contact, head);
        }
    }

    /** The guess was wrong: forget it (the next append of the contact locks its head). */
    void forget(ContactId contact) {
        committed.remove(contact);
        InTransaction tx = inTransaction(false);
        if (tx != null) {
            tx.heads.remove(contact);
        }
    }

    /**
     * A drawn number above {@code seq}; empty when none is waiting. Numbers not above it are dropped
     * on the way (a gap in {@code seq}, which is only unique and growing along each chain): kept,
     * they would fill the pool for good once a locked append or another member took a higher number
     * for this chain, and no later append of it could take the one-statement path again.
     */
    OptionalLong spareAbove(long seq) {
        for (Long next = spares.poll(); next != null; next = spares.poll()) {
            spareCount.decrementAndGet();
            if (next > seq) {
                return OptionalLong.of(next);
            }
        }
        return OptionalLong.empty();
    }

    /** Whether the next write should draw a number for later. */
    boolean wantsSpare() {
        return spareCount.get() < SPARES;
    }

    /** A drawn number nobody used (drawn for later, or taken for a write that did not happen). */
    void spare(long seq) {
        spareCount.incrementAndGet();
        spares.offer(seq);
    }

    private InTransaction inTransaction(boolean create) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return null;
        }
        InTransaction tx = (InTransaction) TransactionSynchronizationManager.getResource(this);
        if (tx == null && create) {
            tx = new InTransaction();
            TransactionSynchronizationManager.bindResource(this, tx);
            TransactionSynchronizationManager.registerSynchronization(tx);
        }
        return tx;
    }

    /** The heads one transaction wrote: published when it commits, dropped when it rolls back. */
    private final class InTransaction implements TransactionSynchronization {

        private final Map<ContactId, Head> heads = new HashMap<>();

        @Override
        public void afterCommit() {
            // a later append of the contact may have committed first: keep the furthest head
            heads.forEach((contact, head) -> committed.merge(contact, head,
                    (old, mine) -> mine.contactSeq() >= old.contactSeq() ? mine : old));
        }

        @Override
        public void afterCompletion(int status) {
            TransactionSynchronizationManager.unbindResourceIfPossible(ChainHeads.this);
        }
    }
}
