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
import java.util.OptionalLong;
import java.util.UUID;

/**
 * The append-only, hash-chained record of every consent event, and the projection of current
 * state that follows from it. Appends join the caller's transaction, so an event and the change
 * that caused it commit together or not at all. Each contact has a hash chain of its own, so an
 * append waits only for appends of the same contact (its chain head's row lock), never for the rest
 * of the ledger; the leader seals all chains into signed checkpoints ({@link LedgerCheckpoints}). Personal evidence (IP, user agent, note) is stored
 * encrypted under the contact's key ({@link ContactKeys}) and the chain hashes the ciphertext, so
 * destroying a contact's key erases that evidence and leaves the chain verifiable.
 */
@Service
public class ConsentLedger {

    private final LedgerStore store;
    private final ApplicationEventPublisher events;
    private final ContactKeys keys;
    private final LedgerVerifier verifier;
    private final ChainHeads heads;

    ConsentLedger(LedgerStore store, ApplicationEventPublisher events, ContactKeys keys, LedgerVerifier verifier, ChainHeads heads) {
        this.store = store;
        this.heads = heads;
        this.events = events;
        this.keys = keys;
        this.verifier = verifier;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public ConsentEvent append(ConsentChange change) {
        return appendAll(List.of(change)).get(0);
    }

    /**
     * Appends several changes in order, each to its contact's chain, with batched statements: a bulk
     * sync that records thousands of CRM opt-outs must not pay a lock and a round trip per event, nor
     * a key lookup per event: the batch's chain heads are locked (in contact id order) and its contact
     * keys fetched (and the missing ones created) once. The chains are the same as appending the
     * changes one by one.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public List<ConsentEvent> appendAll(List<ConsentChange> changes) {
        if (changes.isEmpty()) {
            return List.of();
        }
        List<ContactId> contacts = changes.stream().map(ConsentChange::contactId).distinct().toList();
        KeyRing ring = keys.forWriting(contacts);
        if (changes.size() == 1 && store.writesOneStatement()) {
            return published(List.of(appendOne(changes.get(0), ring)));
        }
        Map<ContactId, LedgerStore.Chain> chains;
        long[] seqs;
        var single = changes.size() == 1 ? store.lockChainAndNumber(contacts.get(0)) : Optional.<Map.Entry<LedgerStore.Chain, Long>>empty();
        if (single.isPresent()) {
            chains = new HashMap<>(Map.of(contacts.get(0), single.get().getKey()));
            seqs = new long[] {single.get().getValue()};
        } else {
            chains = store.lockChains(contacts);
            seqs = store.nextSeqs(changes.size());
        }
        var sealed = new ArrayList<ConsentEvent>(changes.size());
        var stored = new ArrayList<StoredEvent>(changes.size());
        var last = new HashMap<ContactId, ConsentEvent>();
        for (int i = 0; i < changes.size(); i++) {
            ConsentChange change = changes.get(i);
            Sealed one = seal(change, seqs[i], chains.get(change.contactId()), ring);
            stored.add(one.row());
            sealed.add(one.event());
            chains.put(change.contactId(), new LedgerStore.Chain(one.event().contactSeq(), one.event().hash()));
            last.put(change.contactId(), one.event());
        }
        store.write(stored, chains, sealed.stream().filter(e -> e.type().changesState()).toList());
        last.forEach((contact, e) -> heads.wrote(contact, new ChainHeads.Head(e.contactSeq(), e.hash(), e.seq())));
        return published(sealed);
    }

    /**
     * One event in one statement and the commit, the common case: with the contact's head known
     * from this member's last append and an event number drawn ahead, the write itself checks the
     * head (see {@link ChainHeads}). Otherwise, or when the guess was wrong, the head is locked with
     * the next number first, one more round trip.
     */
    private ConsentEvent appendOne(ConsentChange change, KeyRing ring) {
        ContactId contact = change.contactId();
        boolean project = change.type().changesState();
        Optional<ChainHeads.Head> known = heads.known(contact);
        if (known.isPresent()) {
            OptionalLong seq = heads.spareAbove(known.get().seq());
            if (seq.isPresent()) {
                Sealed one = seal(change, seq.getAsLong(), known.get().chain(), ring);
                if (written(one, known.get().chain(), project)) {
                    return one.event();
                }
                heads.spare(seq.getAsLong());
                heads.forget(contact);
            }
        }
        var locked = store.lockChainAndNumber(contact);
        LedgerStore.Chain chain;
        long seq;
        if (locked.isPresent()) {
            chain = locked.get().getKey();
            seq = locked.get().getValue();
        } else {
            chain = store.lockChains(List.of(contact)).get(contact);
            seq = store.nextSeqs(1)[0];
        }
        Sealed one = seal(change, seq, chain, ring);
        if (!written(one, chain, project)) {
            throw new IllegalStateException("the chain head of contact " + contact + " moved while this transaction held its lock");
        }
        return one.event();
    }

    private boolean written(Sealed one, LedgerStore.Chain expected, boolean project) {
        LedgerStore.Written written = store.writeOne(one.row(), expected, project, heads.wantsSpare());
        if (!written.written()) {
            return false;
        }
        if (written.spare() > 0) {
            heads.spare(written.spare());
        }
        ConsentEvent e = one.event();
        heads.wrote(e.contactId(), new ChainHeads.Head(e.contactSeq(), e.hash(), e.seq()));
        return true;
    }

    /** An event as stored (evidence sealed, hashed onto {@code chain}) and as the caller gets it. */
    private record Sealed(StoredEvent row, ConsentEvent event) {
    }

    private static Sealed seal(ConsentChange change, long seq, LedgerStore.Chain chain, KeyRing ring) {
        String previousHash = chain.lastHash();
        ConsentEvent plain = unsealed(change, seq, previousHash).atContactSeq(chain.lastContactSeq() + 1);
        StoredEvent row = StoredEvent.seal(plain, ring);
        String hash = row.hash(previousHash);
        ConsentEvent appended = ring.destroyed(plain.contactId()) ? row.event() : plain;
        return new Sealed(row.withHash(previousHash, hash), new ConsentEvent(appended.seq(), appended.eventId(),
                appended.contactId(), appended.type(), appended.subject(), appended.value(), appended.previousValue(),
                appended.evidence(), previousHash, hash, appended.evidenceErased(), plain.contactSeq()));
    }

    /** Tells the listeners, in this transaction, what was appended. */
    private List<ConsentEvent> published(List<ConsentEvent> sealed) {
        sealed.stream().filter(e -> e.type().changesState()).forEach(event -> events.publishEvent(new ConsentStateChanged(
                event.contactId(), event.seq(), event.type(), event.subject(), event.value(), event.previousValue())));
        var byContact = new java.util.LinkedHashMap<ContactId, List<ConsentEvent>>();
        sealed.stream().filter(e -> e.evidence().actorKind() == ActorKind.CONTACT)
                .forEach(e -> byContact.computeIfAbsent(e.contactId(), c -> new ArrayList<>()).add(e));
        byContact.forEach((contact, acted) -> events.publishEvent(new ContactActed(contact, acted)));
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

    /** Takes the contact's chain fence for the caller's transaction (see {@link ContactStates#readFenced}). */
    boolean fence(ContactId contact) {
        return store.fence(contact);
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

    /** The ledger event (seq) that set the contact's current value of a subject; empty while the default applies. */
    @Transactional(propagation = org.springframework.transaction.annotation.Propagation.SUPPORTS, readOnly = true)
    public Optional<Long> currentEventSeq(ContactId contact, String subject) {
        return store.currentEventSeq(contact, subject);
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
     * Verifies the whole ledger in one snapshot, so appends committed meanwhile are not mistaken for
     * tampering: every checkpoint's signature and link, every contact's chain (gapless positions,
     * links, hashes), its head and its projection rows, every chain against the latest checkpoint's
     * sealed head (a cut-off tail, a rewritten chain) and the sealed heads against the signed root.
     * Streams in constant memory; progress is logged every {@value LedgerVerifier#PROGRESS_EVERY} events.
     * Not read-only: it holds the sealers' lock row while it runs (appends never wait for it).
     */
    @Transactional(isolation = Isolation.REPEATABLE_READ)
    public LedgerVerification verify() {
        return verifier.all();
    }

    /** Verifies one contact's chain, head, sealed head and projection: an index lookup, milliseconds. */
    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public LedgerVerification verify(ContactId contact) {
        return verifier.contact(contact);
    }
}
