package io.consenthub.consent;

import io.consenthub.contact.ContactId;
import io.consenthub.crypto.ContactKeys;
import io.consenthub.crypto.KeyRing;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The append-only, hash-chained record of every consent event, and the projection of current
 * state that follows from it. Appends join the caller's transaction, so an event and the change
 * that caused it commit together or not at all. Personal evidence (IP, user agent, note) is stored
 * encrypted under the contact's key ({@link ContactKeys}) and the chain hashes the ciphertext, so
 * destroying a contact's key erases that evidence and leaves the chain verifiable.
 */
@Service
public class ConsentLedger {

    private final LedgerStore store;
    private final ApplicationEventPublisher events;
    private final ContactKeys keys;

    ConsentLedger(LedgerStore store, ApplicationEventPublisher events, ContactKeys keys) {
        this.store = store;
        this.events = events;
        this.keys = keys;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public ConsentEvent append(ConsentChange change) {
        return appendAll(List.of(change)).get(0);
    }

    /**
     * Appends several changes in order under one hold of the ledger head, with batched statements:
     * a bulk sync that records thousands of CRM opt-outs must not pay a head lock and a round trip
     * per event, nor a key lookup per event: the batch's contact keys are fetched (and the missing
     * ones created) once. The chain is the same as appending them one by one.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public List<ConsentEvent> appendAll(List<ConsentChange> changes) {
        if (changes.isEmpty()) {
            return List.of();
        }
        KeyRing ring = keys.forWriting(changes.stream().map(ConsentChange::contactId).distinct().toList());
        var head = store.lockHead();
        long seq = head.lastSeq();
        String previousHash = head.lastHash();
        var sealed = new ArrayList<ConsentEvent>(changes.size());
        var stored = new ArrayList<StoredEvent>(changes.size());
        for (ConsentChange change : changes) {
            ConsentEvent plain = unsealed(change, ++seq, previousHash);
            StoredEvent row = StoredEvent.seal(plain, ring);
            String hash = row.hash(previousHash);
            stored.add(row.withHash(previousHash, hash));
            ConsentEvent appended = ring.destroyed(plain.contactId()) ? row.event() : plain;
            sealed.add(new ConsentEvent(appended.seq(), appended.eventId(), appended.contactId(), appended.type(),
                    appended.subject(), appended.value(), appended.previousValue(), appended.evidence(), previousHash, hash,
                    appended.evidenceErased()));
            previousHash = hash;
        }
        store.insertAll(stored);
        List<ConsentEvent> stateChanges = sealed.stream().filter(e -> e.type().changesState()).toList();
        store.projectAll(stateChanges);
        stateChanges.forEach(event -> events.publishEvent(new ConsentStateChanged(event.contactId(), event.seq(),
                event.type(), event.subject(), event.value(), event.previousValue())));
        return sealed;
    }

    private static ConsentEvent unsealed(ConsentChange change, long seq, String previousHash) {
        Evidence evidence = change.evidence();
        Instant at = evidence.occurredAt().truncatedTo(ChronoUnit.MICROS);
        evidence = new Evidence(evidence.actorKind(), evidence.actorId(), evidence.channel(), at,
                evidence.ip(), evidence.userAgent(), evidence.proofId(), evidence.note(), evidence.origin());
        return new ConsentEvent(seq, UUID.randomUUID(), change.contactId(), change.type(),
                change.subject(), change.value(), change.previousValue(), evidence, previousHash, null);
    }

    /** Whether any of these contacts has a consent state yet, i.e. any state-changing event. */
    @Transactional(propagation = Propagation.SUPPORTS, readOnly = true)
    public boolean anyHasState(Collection<ContactId> contacts) {
        return store.anyHasState(contacts);
    }

    /** The contact's events with their evidence decrypted; after its key was destroyed, marked erased. */
    @Transactional(readOnly = true)
    public List<ConsentEvent> history(ContactId contact) {
        KeyRing ring = keys.forReading(List.of(contact));
        return store.history(contact).stream().map(row -> row.open(ring)).toList();
    }

    /** Current value per subject for one contact; subjects never answered are absent. */
    @Transactional(readOnly = true)
    public Map<String, String> state(ContactId contact) {
        return store.state(contact);
    }

    /**
     * The state of a contact in one round trip and without a transaction of its own, for the consent
     * gate's hot path; empty when the hub holds no such contact.
     */
    public Optional<Map<String, String>> stateOfExisting(ContactId contact) {
        return store.stateOfExisting(contact);
    }

    @Transactional(readOnly = true)
    public Instant lastEventAt(ContactId contact, EventType type) {
        return store.lastEventAt(contact, type);
    }

    @Transactional(readOnly = true)
    public String valueBefore(ContactId contact, String subject, String value) {
        return store.previousValueBeforeLatest(contact, subject, value);
    }

    /**
     * Re-walks the whole chain in order and replays it against the projection, all in one snapshot
     * so appends committed meanwhile are not mistaken for tampering. Names every row whose contents
     * were edited, every gap left by a deleted row, every row inserted out of chain, and every
     * projection row that disagrees with the events.
     */
    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public LedgerVerification verify() {
        var problems = new ArrayList<LedgerVerification.Problem>();
        var replayed = new HashMap<String, String>();
        var walk = new Object() {
            long expectedSeq = 1;
            String previousHash = EventHash.GENESIS;
            long checked;
        };
        store.streamEvents(row -> {
            walk.checked++;
            LedgerChecks.checkLink(row, walk.expectedSeq, walk.previousHash, problems);
            LedgerChecks.replay(row, replayed);
            walk.expectedSeq = row.event().seq() + 1;
            walk.previousHash = row.event().hash();
        });
        var head = store.head();
        if (head.lastSeq() != walk.expectedSeq - 1 || !head.lastHash().equals(walk.previousHash)) {
            problems.add(new LedgerVerification.Problem(null, null, "head-mismatch",
                    "the ledger head says the last event is seq " + head.lastSeq() + " but the chain ends at seq "
                            + (walk.expectedSeq - 1) + ": rows at the end were deleted or the head was altered"));
        }
        store.streamState(row -> LedgerChecks.compareProjection(row, replayed, problems));
        LedgerChecks.missingFromProjection(replayed, problems);
        return new LedgerVerification(problems.isEmpty(), walk.checked, head.lastHash(), problems);
    }
}
