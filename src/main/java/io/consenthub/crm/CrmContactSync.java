package io.consenthub.crm;

import io.consenthub.consent.ActorKind;
import io.consenthub.consent.ContactState;
import io.consenthub.consent.ContactStates;
import io.consenthub.decision.Act;
import io.consenthub.decision.ConsentDecisions;
import io.consenthub.decision.Decision;
import io.consenthub.consent.Evidence;
import io.consenthub.consent.Purpose;
import io.consenthub.consent.PurposeKind;
import io.consenthub.contact.Attributes;
import io.consenthub.contact.Contact;
import io.consenthub.contact.ContactDirectory;
import io.consenthub.contact.ContactId;
import io.consenthub.contact.CrmLink;
import io.consenthub.contact.EmailAddress;
import io.consenthub.consent.optin.EmailOptIn;
import io.consenthub.consent.optin.EmailOptInStatus;
import io.consenthub.consent.optin.OptInAction;
import io.consenthub.consent.optin.OptInDecision;
import io.consenthub.shared.InvalidInputException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Applies one CRM row to the hub, in one transaction: finds the contact by its CRM link or, for a
 * record the hub has not seen, by primary email (one person in several CRMs is one contact),
 * creates it when new, takes over the CRM's mapped attributes, and turns the CRM's own opt-out flag
 * into OPT_OUT_USER, which never upgrades an opt-in — unless the hub raised that flag itself by
 * write-back ({@link CrmRecordStore.OptOutFlag#HUB}): read back, it would undo a user's later
 * re-opt-in. A row that fails validation throws and writes nothing; the caller records it as a reject.
 *
 * <p>What the hub does not simply take over is recorded in {@code crm_conflict}, never dropped:
 * a value that differs from what another CRM of the same person holds (the newest value is kept),
 * a CRM saying "may email" while the hub holds an opt-out (the opt-out is kept, least permissive,
 * and written back), values refused because the contact stopped processing or revoked the
 * field's storage consent.
 */
@Service
public class CrmContactSync {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(CrmContactSync.class);

    /** The longest record id the store keeps (crm_record, crm_link). */
    static final int MAX_EXTERNAL_ID = 255;

    private static final String EMAIL_FIELD = "email";

    private final ContactDirectory contacts;
    private final EmailOptIn optIn;
    private final ContactStates states;
    private final ConsentDecisions decisions;
    private final CrmRecordStore records;
    private final CrmWriteBack writeBack;
    private final CrmSettings settings;
    private final CrmHashes hashes;
    private final Clock clock;

    CrmContactSync(ContactDirectory contacts, EmailOptIn optIn, ContactStates states, ConsentDecisions decisions,
                   CrmRecordStore records, CrmWriteBack writeBack, CrmSettings settings, CrmHashes hashes, Clock clock) {
        this.hashes = hashes;
        this.contacts = contacts;
        this.optIn = optIn;
        this.states = states;
        this.decisions = decisions;
        this.records = records;
        this.writeBack = writeBack;
        this.settings = settings;
        this.clock = clock;
    }

    /** A row as far as its own content allows it to be applied, and why each left-out field was refused. */
    public record Checked(CrmRow row, List<String> refusedFields) {
    }

    /**
     * Checks what {@link #apply} would refuse for the row's own content, so a batch can set bad
     * rows aside before it starts. A bad email refuses the row (it cannot be matched); a bad
     * attribute refuses that field alone, so the row's opt-out and deletion still apply. Reasons
     * name the rule and the field, never the value: they go to logs and the reject list.
     */
    public Checked check(CrmRow row) {
        if (row.externalId() == null || row.externalId().length() > MAX_EXTERNAL_ID) {
            // The store keeps record ids in varchar(255): a longer one would fail its whole batch.
            throw new InvalidInputException("the record id is empty or longer than " + MAX_EXTERNAL_ID + " characters");
        }
        if (row.deleted()) {
            return new Checked(row, List.of());
        }
        if (row.email() == null || row.email().isBlank()) {
            throw new InvalidInputException("field 'email' is empty");
        }
        try {
            new EmailAddress(row.email());
        } catch (InvalidInputException e) {
            throw new InvalidInputException("field 'email' is not a valid email address (local@domain, at most 254 characters)");
        }
        var kept = new LinkedHashMap<String, String>();
        var refused = new ArrayList<String>();
        row.attributes().forEach((name, value) -> {
            try {
                if (value != null) {
                    new Attributes(Map.of(name, value));
                }
                kept.put(name, value);
            } catch (InvalidInputException e) {
                refused.add("field '" + name + "' refused, the rest of the row was applied: " + e.getMessage());
            }
        });
        new Attributes(withoutNulls(kept));
        if (refused.isEmpty()) {
            return new Checked(row, List.of());
        }
        return new Checked(new CrmRow(row.connectorId(), row.externalId(), row.email(), kept, row.emailOptOut(),
                row.deleted(), row.modified(), row.rowHash()), List.copyOf(refused));
    }

    /**
     * Applies one row of a connector's opt-out query (a CRM that keeps unsubscribes in a joined
     * table, so the record's own modification time does not move): the linked contact is opted
     * out as if the record's flag had been read by the sync. Only opt-outs travel this way, never
     * an opt-in; a row already applied unchanged is skipped; a record the hub has not linked yet
     * is left to the record sync, which reads the flag when it first sees the record.
     *
     * @return whether the row changed anything
     */
    @Transactional
    public boolean applyOptOut(String connectorId, String externalId, boolean optedOut, String rowHash) {
        if (!records.optOutRowChanged(connectorId, externalId, rowHash)) {
            return false;
        }
        Optional<ContactId> linked = contacts.findByLink(new CrmLink(connectorId, externalId));
        if (linked.isEmpty()) {
            return false;
        }
        records.saveOptOutRow(connectorId, externalId, rowHash);
        // The same rule as the record sync: a flag the hub's own write-back raised is not the CRM's opt-out.
        boolean hubsOwnFlag = records.find(connectorId, externalId).map(CrmRecordStore.StoredRecord::optOutFlag)
                .orElse(null) == CrmRecordStore.OptOutFlag.HUB;
        if (!optedOut || hubsOwnFlag) {
            return false;
        }
        contacts.lock(linked.get());
        var evidence = new Evidence(ActorKind.CRM, connectorId, "crm-sync", clock.instant(), null, null,
                connectorId + "/" + externalId, "opt-out flag set in CRM " + connectorId);
        return optIn.attempt(linked.get(), OptInAction.SET_OPT_OUT_USER, evidence).outcome() == OptInDecision.Outcome.APPLY;
    }

    /** What {@link #applyStreamedOptOut} did with an opt-out a CRM pushed. */
    public enum StreamedOptOut {
        /** The contact is opted out now. */
        APPLIED,
        /** Nothing changed: this change was applied before, or the contact was opted out already. */
        UNCHANGED,
        /** The hub does not link the record (yet): the whole record must decide. */
        NOT_LINKED,
        /** The hub has applied a newer state of the record than this change (a replayed event). */
        OLDER_THAN_APPLIED,
        /** The flag is the one the hub's own write-back raised, echoed back. */
        HUBS_OWN_FLAG
    }

    /**
     * Applies an opt-out a CRM pushed for one record by itself (a Salesforce change event that set
     * the record's opt-out flag), without the rest of the record: as the record sync would, it opts
     * the linked contact out and notes the flag as the CRM's (so the hub never clears it). It is
     * skipped when the hub has applied a newer state of the record than {@code committedAt} (an
     * event replayed after a poll, which could otherwise undo a later opt-in), when the flag is the
     * hub's own (its write-back echoed back), and when {@code changeHash} was applied before. Only
     * ever an opt-out, never an opt-in.
     */
    @Transactional
    public StreamedOptOut applyStreamedOptOut(String connectorId, String externalId, Instant committedAt, String changeHash) {
        Optional<ContactId> linked = contacts.findByLink(new CrmLink(connectorId, externalId));
        if (linked.isEmpty()) {
            return StreamedOptOut.NOT_LINKED;
        }
        Optional<CrmRecordStore.StoredRecord> stored = records.find(connectorId, externalId);
        if (committedAt != null && stored.map(CrmRecordStore.StoredRecord::crmModified)
                .filter(applied -> applied.isAfter(java.time.LocalDateTime.ofInstant(committedAt, java.time.ZoneOffset.UTC)))
                .isPresent()) {
            return StreamedOptOut.OLDER_THAN_APPLIED;
        }
        if (stored.map(CrmRecordStore.StoredRecord::optOutFlag).orElse(null) == CrmRecordStore.OptOutFlag.HUB) {
            return StreamedOptOut.HUBS_OWN_FLAG;
        }
        if (!records.optOutRowChanged(connectorId, externalId, changeHash)) {
            return StreamedOptOut.UNCHANGED;
        }
        records.saveOptOutRow(connectorId, externalId, changeHash);
        records.optOutSetInCrm(connectorId, externalId);
        contacts.lock(linked.get());
        var evidence = new Evidence(ActorKind.CRM, connectorId, "crm-sync", clock.instant(), null, null,
                connectorId + "/" + externalId, "opt-out flag set in CRM " + connectorId);
        return optIn.attempt(linked.get(), OptInAction.SET_OPT_OUT_USER, evidence).outcome() == OptInDecision.Outcome.APPLY
                ? StreamedOptOut.APPLIED : StreamedOptOut.UNCHANGED;
    }

    /** Applies one row; a row that changed something closes the record's open rejects of other versions. */
    @Transactional
    public SyncOutcome apply(CrmRow row) {
        SyncOutcome outcome = applyOne(row, records.find(row.connectorId(), row.externalId()),
                contacts.findByLink(new CrmLink(row.connectorId(), row.externalId())));
        if (outcome.changedSomething()) {
            records.closeRejects(row.connectorId(), List.of(row), clock.instant());
        }
        return outcome;
    }

    /**
     * Applies validated rows of one connector in one transaction, with the same outcome as
     * applying them one by one: rows unchanged since the last sync are skipped, records the hub has
     * never seen whose email is new are created with batched statements, every other row takes the
     * row-by-row path. Returns how many rows changed something; those close their records' open
     * rejects of other versions (the CRM fixed them). A failure rolls the whole batch
     * back; the caller then applies its rows one by one to find the bad one.
     */
    @Transactional
    public int applyAll(List<CrmRow> rows) {
        return applyAll(prepare(rows));
    }

    /**
     * What a batch's rows need before they are applied that takes no store: each live row's
     * address (normalised, its key) and the hashes of its values (a keyed MAC each). Kept apart so
     * a poll can compute it for the next batch while the store applies this one.
     */
    public record PreparedRows(List<CrmRow> rows, Map<CrmRow, EmailAddress> addresses, Map<CrmRow, Map<String, String>> valueHashes) {
        public PreparedRows {
            rows = List.copyOf(rows);
        }
    }

    /** Computes {@link PreparedRows} for rows {@link #check checked} before; touches no store. */
    public PreparedRows prepare(List<CrmRow> rows) {
        var addresses = new IdentityHashMap<CrmRow, EmailAddress>();
        var valueHashes = new IdentityHashMap<CrmRow, Map<String, String>>();
        for (CrmRow row : rows) {
            if (!row.deleted()) {
                addresses.put(row, new EmailAddress(row.email()));
                valueHashes.put(row, hashes.values(row.attributes()));
            }
        }
        return new PreparedRows(rows, addresses, valueHashes);
    }

    /** {@link #applyAll(List)} of rows already {@link #prepare prepared}. */
    @Transactional
    public int applyAll(PreparedRows prepared) {
        List<CrmRow> rows = prepared.rows();
        if (rows.isEmpty()) {
            return 0;
        }
        String connectorId = rows.get(0).connectorId();
        List<String> externalIds = rows.stream().map(CrmRow::externalId).toList();
        // an erased person's CRM record (the suppression list): skipped, nothing of it stored
        Set<String> suppressedRecords = contacts.suppressedRecords(connectorId, externalIds);
        Map<String, CrmRecordStore.StoredRecord> stored = records.findAll(connectorId, externalIds);
        Map<String, ContactId> linked = contacts.linkedContacts(connectorId, externalIds);
        Map<CrmRow, EmailAddress> addresses = prepared.addresses();
        Set<String> liveEmails = addresses.values().stream().map(EmailAddress::key).collect(Collectors.toSet());
        Set<String> knownEmails = contacts.existingEmailKeys(liveEmails);
        // an erased person's address: never created in bulk; the row-by-row path skips it
        Set<String> suppressed = contacts.suppressedEmailKeys(liveEmails);
        var fresh = new ArrayList<CrmRow>();
        var others = new ArrayList<CrmRow>();
        var followers = new ArrayList<CrmRow>();
        var freshEmails = new HashSet<String>();
        var applied = new ArrayList<CrmRow>();
        for (CrmRow row : rows) {
            if (!row.connectorId().equals(connectorId)) {
                throw new IllegalArgumentException("a batch holds rows of one connector only");
            }
            CrmRecordStore.StoredRecord before = stored.get(row.externalId());
            if (suppressedRecords.contains(row.externalId())
                    || before != null && (records.sameRow(row, before) || olderThanApplied(row, before))) {
                continue;
            }
            String emailKey = row.deleted() ? null : addresses.get(row).key();
            if (before == null && !row.deleted() && !linked.containsKey(row.externalId())
                    && !knownEmails.contains(emailKey) && !suppressed.contains(emailKey) && freshEmails.add(emailKey)) {
                fresh.add(row);
            } else if (!row.deleted() && freshEmails.contains(emailKey)) {
                followers.add(row);
            } else {
                others.add(row);
            }
        }
        Map<ContactId, Evidence> freshOptOuts = fresh.isEmpty() ? Map.of() : createAll(fresh, prepared);
        applied.addAll(fresh);
        applyEach(others, stored, linked, applied);
        optIn.attemptForNew(OptInAction.SET_OPT_OUT_USER, freshOptOuts);
        // Rows sharing an email with a record created above reach that contact only once its
        // creation, opt-out included, is complete: they may then add events of their own.
        applyEach(followers, stored, linked, applied);
        records.closeRejects(connectorId, applied, clock.instant());
        return applied.size();
    }

    private void applyEach(List<CrmRow> rows, Map<String, CrmRecordStore.StoredRecord> stored, Map<String, ContactId> linked,
                           List<CrmRow> applied) {
        for (CrmRow row : rows) {
            if (applyOne(row, Optional.ofNullable(stored.get(row.externalId())),
                    Optional.ofNullable(linked.get(row.externalId()))).changedSomething()) {
                applied.add(row);
            }
        }
    }

    /**
     * Brings the database's planner statistics up to date after a sync added many rows (see
     * {@link CrmRecordStore#refreshStatistics()}); outside any transaction.
     */
    public void refreshPlannerStatistics() {
        records.refreshStatistics();
    }

    /**
     * Creates the batch's new contacts, links and sync records; returns the opt-outs they carry, for
     * the caller to append last: the ledger head's lock, taken by the first append, is then held for
     * the end of the transaction only, and after every contact lock of the batch.
     */
    private Map<ContactId, Evidence> createAll(List<CrmRow> fresh, PreparedRows prepared) {
        Instant now = clock.instant();
        Map<String, ConsentDecisions.Refused> refusedForNew = refusedForNew(fresh);
        List<Contact> created = contacts.createAll(fresh.stream().map(row -> new ContactDirectory.NewContact(
                prepared.addresses().get(row), new Attributes(storableForNew(row, refusedForNew.keySet())),
                List.of(new CrmLink(row.connectorId(), row.externalId())))).toList());
        for (int i = 0; i < fresh.size(); i++) {
            recordUnstorableForNew(fresh.get(i), created.get(i).id(), refusedForNew, now);
        }
        records.insertAll(fresh, fresh.stream().map(r -> prepared.valueHashes().get(r)).toList(), now);
        var optedOut = new LinkedHashMap<ContactId, Evidence>();
        for (int i = 0; i < fresh.size(); i++) {
            CrmRow row = fresh.get(i);
            if (row.emailOptOut()) {
                optedOut.put(created.get(i).id(), new Evidence(ActorKind.CRM, row.connectorId(), "crm-sync", now, null, null,
                        row.connectorId() + "/" + row.externalId(), "opt-out flag set in CRM " + row.connectorId()));
            }
        }
        return optedOut;
    }

    private SyncOutcome applyOne(CrmRow row, Optional<CrmRecordStore.StoredRecord> stored, Optional<ContactId> linked) {
        if (!contacts.suppressedRecords(row.connectorId(), List.of(row.externalId())).isEmpty()) {
            log.debug("CRM {}: a record of an erased person was not synced (suppressed)", row.connectorId());
            return SyncOutcome.SUPPRESSED;
        }
        if (stored.isPresent() && (records.sameRow(row, stored.get()) || olderThanApplied(row, stored.get()))) {
            return SyncOutcome.UNCHANGED;
        }
        Instant now = clock.instant();
        var link = new CrmLink(row.connectorId(), row.externalId());
        if (row.deleted()) {
            records.saveRecord(row, now);
            return SyncOutcome.MARKED_DELETED;
        }
        var email = new EmailAddress(row.email());
        Map<String, String> hashes = this.hashes.values(row.attributes());
        var evidence = new Evidence(ActorKind.CRM, row.connectorId(), "crm-sync", now, null, null,
                row.connectorId() + "/" + row.externalId(), null);
        SyncOutcome outcome;
        ContactId id;
        EmailOptInStatus statusBefore = null;
        if (linked.isPresent()) {
            id = linked.get();
            statusBefore = applyToExisting(row, contacts.lock(id), email, hashes, previousHashes(stored), evidence, now);
            outcome = SyncOutcome.UPDATED;
        } else {
            Optional<ContactId> sameEmail = contacts.findByEmail(email);
            if (sameEmail.isPresent()) {
                id = sameEmail.get();
                Contact locked = contacts.lock(id);
                applyToExisting(row, locked, locked.primaryEmail(), hashes, Map.of(), evidence, now);
                contacts.link(id, link);
                writeBack.enqueue(id, row.connectorId(), "link-" + row.externalId());
                outcome = SyncOutcome.LINKED;
            } else if (!contacts.suppressedEmailKeys(List.of(email.key())).isEmpty()) {
                // an erased person (the suppression list): nothing of the row is created or stored
                log.info("CRM {}: a record whose address belongs to an erased person was not synced (suppressed)",
                        row.connectorId());
                return SyncOutcome.SUPPRESSED;
            } else {
                Map<String, ConsentDecisions.Refused> refused = refusedForNew(List.of(row));
                id = contacts.create(email, new Attributes(storableForNew(row, refused.keySet())), List.of(link)).id();
                recordUnstorableForNew(row, id, refused, now);
                outcome = SyncOutcome.CREATED;
            }
        }
        // A flag the hub raised itself by write-back is not the CRM's opt-out: read back after the
        // user re-opted in, it would undo that. It counts again once the CRM has cleared it.
        boolean hubsOwnFlag = row.emailOptOut()
                && stored.map(CrmRecordStore.StoredRecord::optOutFlag).orElse(null) == CrmRecordStore.OptOutFlag.HUB;
        if (row.emailOptOut() && !hubsOwnFlag) {
            optIn.attempt(id, OptInAction.SET_OPT_OUT_USER, evidence.withNote("opt-out flag set in CRM " + row.connectorId()));
        } else if (!row.emailOptOut() && outcome != SyncOutcome.CREATED && reportsOptOut(row.connectorId())) {
            EmailOptInStatus status = statusBefore != null ? statusBefore : optIn.status(id);
            if (status == EmailOptInStatus.OPT_OUT_USER || status == EmailOptInStatus.OPT_OUT_CONTACT) {
                records.conflict(id, row.connectorId(), row.externalId(), "LEAST_PERMISSIVE", "emailOptOut",
                        "the CRM's record is not opted out but the hub holds " + status
                                + "; the opt-out is kept and written back", now);
                writeBack.enqueue(id, row.connectorId(), "opt-out-" + records.storedRowHash(row));
            }
        }
        records.saveRecord(row, hashes, !row.emailOptOut() ? CrmRecordStore.OptOutFlag.NOT_SET
                : hubsOwnFlag ? CrmRecordStore.OptOutFlag.HUB : CrmRecordStore.OptOutFlag.CRM, now);
        return outcome;
    }

    /**
     * Takes the row's values over into a contact that exists. An empty value removes an attribute
     * only if this CRM record delivered it before: another CRM of the same person that does not
     * map or fill a field must not erase what the first one gave.
     */
    private EmailOptInStatus applyToExisting(CrmRow row, Contact locked, EmailAddress email, Map<String, String> hashes,
                                             Map<String, String> previousHashes, Evidence evidence, Instant now) {
        ContactId id = locked.id();
        ContactState state = states.read(id);
        var patch = new LinkedHashMap<>(row.attributes());
        patch.entrySet().removeIf(e -> e.getValue() == null && !previousHashes.containsKey(e.getKey()));
        Decision edit = decisions.decide(state, new Act.EditContact(ActorKind.CRM));
        if (!edit.allowed()) {
            var refused = new ArrayList<String>();
            patch.forEach((name, value) -> {
                if (!Objects.equals(locked.attributes().values().get(name), value)) {
                    refused.add(name);
                }
            });
            if (!email.key().equals(locked.primaryEmail().key())) {
                refused.add(EMAIL_FIELD);
            }
            if (!refused.isEmpty()) {
                records.conflict(id, row.connectorId(), row.externalId(), conflictKind(edit), "*",
                        edit.reason() + "; not imported: " + String.join(", ", refused), now);
            }
            return state.emailOptIn();
        }
        refuseUnstorable(row, id, state, patch, now);
        email = keepTheWinnerOfDuplicates(row, locked, email, patch, now);
        recordConflictsWithOtherCrms(row, locked, hashes, patch, now);
        contacts.change(locked, email, locked.attributes().merge(patch));
        if (!email.key().equals(locked.primaryEmail().key())) {
            optIn.attempt(id, OptInAction.CHANGE_PRIMARY_EMAIL, evidence.withNote(
                    "primary email changed in CRM " + row.connectorId()));
            return null;
        }
        return state.emailOptIn();
    }

    /**
     * Removes from the patch every value the decision service does not let the hub store (a
     * sensitive field without its storage consent, the default counting) and records each one
     * as a conflict named after the refusing rule: the value stays in the CRM, never in the hub.
     */
    private void refuseUnstorable(CrmRow row, ContactId id, ContactState state, Map<String, String> patch, Instant now) {
        for (ConsentDecisions.Refused refused : decisions.refusedFields(state, List.copyOf(patch.keySet()))) {
            if (patch.remove(refused.field()) != null) {
                records.conflict(id, row.connectorId(), row.externalId(), conflictKind(refused.decision()), refused.field(),
                        refused.decision().reason() + "; the value was not imported", now);
            }
        }
    }

    /**
     * The fields of these rows a new contact may not hold, each with the decision that refused it:
     * a contact who has answered nothing has every purpose at its default, so a sensitive field
     * whose storage consent defaults to "no" is not stored. That depends on the field alone, so a
     * batch asks the decision service once per field, not once per row and field.
     */
    private Map<String, ConsentDecisions.Refused> refusedForNew(List<CrmRow> rows) {
        var refused = new HashMap<String, ConsentDecisions.Refused>();
        decisions.refusedForNew(rows.stream().flatMap(r -> r.attributes().keySet().stream()).distinct().toList())
                .forEach(r -> refused.put(r.field(), r));
        return refused;
    }

    /** The row's values a new contact may hold; the refused ones are recorded by {@link #recordUnstorableForNew}. */
    private static Map<String, String> storableForNew(CrmRow row, Set<String> refusedForNew) {
        var storable = withoutNulls(row.attributes());
        storable.keySet().removeAll(refusedForNew);
        return storable;
    }

    private void recordUnstorableForNew(CrmRow row, ContactId id, Map<String, ConsentDecisions.Refused> refusedForNew, Instant now) {
        if (refusedForNew.isEmpty()) {
            return;
        }
        for (String field : withoutNulls(row.attributes()).keySet()) {
            ConsentDecisions.Refused refused = refusedForNew.get(field);
            if (refused != null) {
                records.conflict(id, row.connectorId(), row.externalId(), conflictKind(refused.decision()), refused.field(),
                        refused.decision().reason() + "; the value was not imported", now);
            }
        }
    }

    /** A conflict kind is the refusing rule's id in capitals: stop-processing becomes STOP_PROCESSING. */
    private static String conflictKind(Decision decision) {
        return decision.rule().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    }

    /**
     * Two records of one CRM that share the contact's email (a duplicate in the CRM) must not
     * overwrite each other's values and spelling poll after poll: the record with the lowest id
     * (the oldest, in CRMs that number records in order) wins, whatever order the rows arrive in;
     * the others' values are not taken over and the duplicate is recorded. Their opt-outs still
     * apply. Returns the email spelling to keep.
     */
    private EmailAddress keepTheWinnerOfDuplicates(CrmRow row, Contact locked, EmailAddress email,
                                                   Map<String, String> patch, Instant now) {
        List<String> duplicates = locked.crmLinks().stream()
                .filter(l -> l.connectorId().equals(row.connectorId()) && !l.externalId().equals(row.externalId()))
                .map(CrmLink::externalId).toList();
        if (duplicates.isEmpty()) {
            return email;
        }
        String winner = duplicates.stream().min(CrmContactSync::compareIds).orElseThrow();
        boolean wins = compareIds(row.externalId(), winner) < 0;
        String kept = wins ? row.externalId() : winner;
        records.conflict(locked.id(), row.connectorId(), row.externalId(), "DUPLICATE_IN_CRM", "*",
                "records " + row.externalId() + " and " + String.join(", ", duplicates)
                        + " of this CRM share one email; the values of record " + kept + " are kept", now);
        if (wins) {
            return new EmailAddress(row.email());
        }
        patch.clear();
        return locked.primaryEmail();
    }

    /** Record ids by length, then text: numeric ids then order as numbers do. */
    private static int compareIds(String a, String b) {
        return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
    }

    private void recordConflictsWithOtherCrms(CrmRow row, Contact locked, Map<String, String> hashes,
                                              Map<String, String> patch, Instant now) {
        for (CrmLink other : locked.crmLinks()) {
            if (other.connectorId().equals(row.connectorId())) {
                continue;
            }
            Map<String, String> otherHashes = records.find(other.connectorId(), other.externalId())
                    .filter(r -> !r.deleted()).map(CrmRecordStore.StoredRecord::valueHashes).orElse(Map.of());
            patch.forEach((name, value) -> {
                String theirs = otherHashes.get(name);
                if (value != null && theirs != null && this.hashes.current(theirs) && !theirs.equals(hashes.get(name))) {
                    records.conflict(locked.id(), row.connectorId(), row.externalId(), "CONFLICT", name,
                            "differs from CRM " + other.connectorId() + " record " + other.externalId()
                                    + "; the newest value, from this CRM, is kept", now);
                }
            });
        }
    }

    private boolean reportsOptOut(String connectorId) {
        CrmSettings.Connector connector = settings.connectors().get(connectorId);
        return connector == null || !"jdbc".equals(connector.kind())
                || (connector.columns() != null && connector.columns().emailOptOut() != null);
    }

    private static Map<String, String> previousHashes(Optional<CrmRecordStore.StoredRecord> stored) {
        return stored.map(CrmRecordStore.StoredRecord::valueHashes).orElse(Map.of());
    }

    private static boolean olderThanApplied(CrmRow row, CrmRecordStore.StoredRecord stored) {
        return row.modified() != null && stored.crmModified() != null && row.modified().isBefore(stored.crmModified());
    }

    private static Map<String, String> withoutNulls(Map<String, String> attributes) {
        var copy = new HashMap<String, String>();
        attributes.forEach((k, v) -> {
            if (v != null) {
                copy.put(k, v);
            }
        });
        return copy;
    }
}
