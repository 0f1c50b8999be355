package io.consenthub.erasure;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.consenthub.consent.ConsentLedger;
import io.consenthub.consent.LedgerVerification;
import io.consenthub.contact.Contact;
import io.consenthub.contact.ContactDataHolder;
import io.consenthub.contact.ContactDirectory;
import io.consenthub.contact.ContactId;
import io.consenthub.contact.CrmLink;
import io.consenthub.crm.CrmErasure;
import io.consenthub.crypto.ContactKeys;
import io.consenthub.crypto.SealedBoxes;
import io.consenthub.partner.PartnerShares;
import io.consenthub.shared.NotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The erasure job: one per contact, run step by step ({@link ErasureStep}) by the leader-only
 * route {@code routes/erasure/erasure-jobs.camel.yaml}. Every finished step, and every finished
 * item of a step (a CRM connector, a hub data holder), is recorded in the same transaction as its
 * effect where the effect is the hub's, or right after the CRM's call where it is a CRM's: a job
 * killed or failing half-way goes on from the first unfinished item and never redoes a finished
 * one. A failing step is retried after {@code consent-hub.erasure.retry-after}, its error kept
 * on the job (ids and codes only).
 */
@Service
public class ErasureJobs {

    private static final Logger log = LoggerFactory.getLogger(ErasureJobs.class);
    private static final String TARGETS = "erasure-scan-targets";
    private static final String WHOLE_STEP = "-";

    /** A job's progress as the API shows it: no personal data. */
    public record Progress(UUID id, String contactId, String state, String nextStep, int attempts, String lastError,
                           Instant requestedAt, String requestedBy, String reason, Instant finishedAt,
                           List<Map<String, Object>> steps, Object certificate) {
    }

    private final ErasureJobStore store;
    private final ContactDirectory contacts;
    private final CrmErasure crm;
    private final PartnerShares partners;
    private final List<ContactDataHolder> holders;
    private final ContactKeys keys;
    private final SealedBoxes boxes;
    private final ErasureScan scan;
    private final ConsentLedger ledger;
    private final io.consenthub.consent.ContactQueries queries;
    private final ErasureSettings settings;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final Clock clock;
    private final List<Path> logFiles;

    ErasureJobs(ErasureJobStore store, ContactDirectory contacts, CrmErasure crm, PartnerShares partners,
                List<ContactDataHolder> holders, ContactKeys keys, SealedBoxes boxes, ErasureScan scan, ConsentLedger ledger,
                io.consenthub.consent.ContactQueries queries, ErasureSettings settings, TransactionTemplate tx, ObjectMapper json, Clock clock, Environment environment) {
        this.store = store;
        this.contacts = contacts;
        this.crm = crm;
        this.partners = partners;
        this.holders = holders.stream().sorted(java.util.Comparator.comparing(ContactDataHolder::name)).toList();
        this.keys = keys;
        this.boxes = boxes;
        this.scan = scan;
        this.ledger = ledger;
        this.queries = queries;
        this.settings = settings;
        this.tx = tx;
        this.json = json;
        this.clock = clock;
        var files = new LinkedHashSet<Path>();
        settings.logFiles().forEach(f -> files.add(Path.of(f)));
        String own = environment.getProperty("logging.file.name");
        if (own != null && !own.isBlank()) {
            files.add(Path.of(own));
        }
        this.logFiles = List.copyOf(files);
    }

    /**
     * Starts the contact's erasure job, or answers the one it has (one per contact). Captures, while
     * the contact is whole, what the final scan will look for, sealed under the job's own key. The
     * caller has recorded the erasure request in the ledger (so every gate refuses the contact
     * from now on).
     */
    public UUID start(ContactId contact, String requestedBy, String reason) {
        return start(contact, requestedBy, reason, Scope.ERASE);
    }

    /**
     * How far a job goes. {@code eraseInCrms} false: the CRM step erases nothing in the CRMs
     * (retention anonymises the hub's copy; each CRM keeps its records under its own retention),
     * and the certificate says so. {@code removeRecord}: the CONTACT step removes the record
     * ({@code DELETE /api/contacts/{id}}) instead of leaving it anonymised: only its id stays, as the
     * tombstone the ledger's events reference, and no read, list or report finds it.
     */
    public record Scope(boolean eraseInCrms, boolean removeRecord) {
        /** An erasure request: everything, in the CRMs too; the anonymised record stays. */
        public static final Scope ERASE = new Scope(true, false);
        /** A removal: as an erasure, and the record goes. */
        public static final Scope REMOVE = new Scope(true, true);
    }

    /**
     * As {@link #start(ContactId, String, String)}, as far as {@code scope} says. A removal asked
     * of a contact whose job already exists widens that job; if it is done, the record is removed
     * at once and the step recorded.
     */
    public UUID start(ContactId contact, String requestedBy, String reason, Scope scope) {
        Optional<ErasureJobStore.Job> existing = store.ofContact(contact);
        if (existing.isPresent()) {
            if (scope.removeRecord() && !existing.get().removeRecord()) {
                widenToRemoval(existing.get());
            }
            return existing.get().id();
        }
        Contact whole = contacts.get(contact);
        UUID id = UUID.randomUUID();
        SealedBoxes.Sealed sealed = boxes.seal(id, TARGETS, write(targets(whole)));
        UUID job = tx.execute(s -> store.insert(id, contact, requestedBy, reason, sealed, clock.instant(), scope).id());
        log.info("erasure job {} for contact {} started by {}", job, contact, requestedBy);
        return job;
    }

    private void widenToRemoval(ErasureJobStore.Job job) {
        tx.executeWithoutResult(s -> {
            ErasureJobStore.Job locked = store.lock(job.id()).orElseThrow();
            store.markRemoval(locked.id(), clock.instant());
            if (locked.done() || (locked.nextStep() != null && locked.nextStep().ordinal() > ErasureStep.CONTACT.ordinal())) {
                int rows = contacts.remove(locked.contact());
                store.recordStep(locked.id(), ErasureStep.CONTACT, "removal", "REMOVED",
                        rows + " row(s): the anonymised record is removed; only its id stays, for the ledger", clock.instant());
            }
        });
        log.info("erasure job {} for contact {} widened to a removal", job.id(), job.contact());
    }

    /** The contact's job, if it has one. */
    public Optional<UUID> jobOf(ContactId contact) {
        return store.ofContact(contact).map(ErasureJobStore.Job::id);
    }

    /** Every job's state by contact id, for the list of open requests. */
    Map<ContactId, String> states() {
        var states = new java.util.HashMap<ContactId, String>();
        store.all().forEach((c, j) -> states.put(c, j.state()));
        return states;
    }

    /** The job's progress and, once done, its certificate. */
    public Progress progress(UUID id) {
        ErasureJobStore.Job job = store.find(id).orElseThrow(() -> new NotFoundException("no erasure job " + id));
        var steps = new ArrayList<Map<String, Object>>();
        for (ErasureJobStore.Step step : store.steps(id)) {
            var m = new LinkedHashMap<String, Object>();
            m.put("step", step.step().name());
            m.put("item", step.item());
            m.put("outcome", step.outcome());
            m.put("detail", step.detail());
            m.put("finishedAt", step.finishedAt());
            steps.add(m);
        }
        Object certificate = null;
        if (job.certificate() != null) {
            try {
                certificate = json.readTree(job.certificate());
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("erasure job " + id + ": its stored certificate is not JSON", e);
            }
        }
        return new Progress(job.id(), job.contact().value().toString(), job.state(),
                job.nextStep() == null ? null : job.nextStep().name(), job.attempts(), job.lastError(), job.createdAt(),
                job.requestedBy(), job.reason(), job.finishedAt(), steps, certificate);
    }

    /**
     * With {@code grace-period} set: every open request older than it becomes a job. Runs on the
     * leader; answers the jobs started.
     */
    public int startAfterGracePeriod() {
        if (settings.gracePeriod() == null) {
            return 0;
        }
        Instant cutOff = clock.instant().minus(settings.gracePeriod());
        Map<ContactId, String> jobs = states();
        int started = 0;
        for (var answer : queries.grantedOfKind(io.consenthub.consent.PurposeKind.ERASURE)) {
            if (answer.since().isBefore(cutOff) && !jobs.containsKey(answer.contact())) {
                start(answer.contact(), "grace-period", "requested " + answer.since() + "; grace period "
                        + settings.gracePeriod() + " over");
                started++;
            }
        }
        return started;
    }

    /** Jobs whose next step is due, oldest first. */
    public List<UUID> due() {
        return store.due(clock.instant(), 20);
    }

    /** The job's next step, for the route to run; null when the job is done or gone. */
    public String nextStep(UUID job) {
        return store.find(job).filter(j -> !j.done() && j.nextStep() != null).map(j -> j.nextStep().name()).orElse(null);
    }

    /** SUPPRESS: the address onto the suppression list, while it still opens. */
    public void suppress(UUID id) {
        tx.executeWithoutResult(s -> {
            ErasureJobStore.Job job = locked(id, ErasureStep.SUPPRESS);
            ContactDirectory.Suppressed suppressed = contacts.suppress(job.contact(), id);
            String what = suppressed.crmRecords() + " CRM record(s) by keyed MAC of connector and record id";
            finishStep(job, ErasureStep.SUPPRESS, suppressed.address() ? "SUPPRESSED"
                            : suppressed.crmRecords() > 0 ? "RECORDS_SUPPRESSED" : "NOTHING_TO_SUPPRESS",
                    suppressed.address() ? "on the suppression list: a keyed MAC of the normalised address and " + what
                            : "the address no longer opened (erased before); on the suppression list: " + what);
        });
    }

    /** CRM: each linked connector erases the contact's records there, one connector at a time. */
    public void eraseInCrms(UUID id) {
        ErasureJobStore.Job job = store.find(id).orElseThrow();
        if (!job.eraseInCrms()) {
            tx.executeWithoutResult(s -> finishStep(locked(id, ErasureStep.CRM), ErasureStep.CRM, "NOT_ASKED",
                    "started by " + job.requestedBy() + " for the hub's copy only: the CRMs keep their records"));
            return;
        }
        var byConnector = new TreeMap<String, List<String>>();
        for (CrmLink link : contacts.get(job.contact()).crmLinks()) {
            byConnector.computeIfAbsent(link.connectorId(), c -> new ArrayList<>()).add(link.externalId());
        }
        for (var connector : byConnector.entrySet()) {
            if (store.stepDone(id, ErasureStep.CRM, connector.getKey())) {
                continue;
            }
            CrmErasure.CrmOutcome outcome = crm.eraseIn(connector.getKey(), connector.getValue());
            tx.executeWithoutResult(s -> store.recordStep(id, ErasureStep.CRM, connector.getKey(), outcome.outcome().name(),
                    outcome.records() + " record(s): " + outcome.detail(), clock.instant()));
        }
        tx.executeWithoutResult(s -> finishStep(locked(id, ErasureStep.CRM), ErasureStep.CRM, "DONE",
                byConnector.size() + " CRM connector(s)"));
    }

    /** PARTNERS: every partner acknowledged its revocation notice; waits up to {@code partner-wait}. */
    public void awaitPartners(UUID id) {
        tx.executeWithoutResult(s -> {
            ErasureJobStore.Job job = locked(id, ErasureStep.PARTNERS);
            Set<String> owing = partners.owingAcknowledgement(job.contact());
            Instant now = clock.instant();
            if (!owing.isEmpty() && now.isBefore(job.createdAt().plus(settings.partnerWait()))) {
                store.waitUntil(id, now.plus(settings.retryAfter().compareTo(java.time.Duration.ofSeconds(5)) < 0
                        ? settings.retryAfter() : java.time.Duration.ofSeconds(5)),
                        "waiting for partner(s) " + owing + " to acknowledge their revocation notice", now);
                return;
            }
            finishStep(job, ErasureStep.PARTNERS, owing.isEmpty() ? "ACKNOWLEDGED" : "UNACKNOWLEDGED",
                    owing.isEmpty() ? "every partner that received the contact acknowledged its revocation notice"
                            : "partner(s) " + owing + " had not acknowledged after " + settings.partnerWait()
                            + "; their notices are still being delivered");
        });
    }

    /** HUB_DATA: every holder of contact data deletes or anonymises its rows, one holder at a time. */
    public void eraseHubData(UUID id) {
        ErasureJobStore.Job job = store.find(id).orElseThrow();
        for (ContactDataHolder holder : holders) {
            tx.executeWithoutResult(s -> {
                if (!store.stepDone(id, ErasureStep.HUB_DATA, holder.name())) {
                    int rows = holder.erase(job.contact());
                    store.recordStep(id, ErasureStep.HUB_DATA, holder.name(), "ERASED", rows + " row(s)", clock.instant());
                }
            });
        }
        tx.executeWithoutResult(s -> finishStep(locked(id, ErasureStep.HUB_DATA), ErasureStep.HUB_DATA, "DONE",
                holders.size() + " holder(s) of contact data"));
    }

    /** KEYS: the contact's data key is destroyed (crypto-shredding). */
    public void destroyKeys(UUID id) {
        tx.executeWithoutResult(s -> {
            ErasureJobStore.Job job = locked(id, ErasureStep.KEYS);
            keys.destroy(job.contact());
            finishStep(job, ErasureStep.KEYS, "DESTROYED",
                    "the data key is destroyed: evidence and sealed fields no longer open");
        });
    }

    /** CONTACT: the contact row is anonymised, its links removed. */
    public void anonymiseContact(UUID id) {
        tx.executeWithoutResult(s -> {
            ErasureJobStore.Job job = locked(id, ErasureStep.CONTACT);
            if (job.removeRecord()) {
                int rows = contacts.remove(job.contact());
                finishStep(job, ErasureStep.CONTACT, "REMOVED", rows + " row(s): address, attributes, links and language;"
                        + " the record is removed, only its id stays, for the ledger's events");
                return;
            }
            int rows = contacts.anonymise(job.contact());
            finishStep(job, ErasureStep.CONTACT, "ANONYMISED", rows + " row(s): address, attributes, links and language");
        });
    }

    /** PROOF: the scan, the ledger check and the certificate; the sealed targets are destroyed with it. */
    public void prove(UUID id) {
        ErasureJobStore.Job job = store.find(id).orElseThrow();
        ScanTargets targets = boxes.open(id, TARGETS, job.targets()).map(this::read)
                .orElseThrow(() -> new IllegalStateException("erasure job " + id + ": its scan targets do not open"));
        ErasureScan.Result result = scan.scan(job.contact(), targets, logFiles);
        LedgerVerification verified = verifyLedgerOf(job.contact());
        tx.executeWithoutResult(s -> {
            ErasureJobStore.Job locked = locked(id, ErasureStep.PROOF);
            Instant now = clock.instant();
            store.recordStep(id, ErasureStep.PROOF, WHOLE_STEP, result.clean() ? "CLEAN" : "FOUND",
                    result.findings().size() + " finding(s) in " + result.tables() + " table(s) and "
                            + result.logFiles().size() + " log file(s)", now);
            store.finish(id, write(certificate(locked, targets, result, verified, now)), now);
        });
        if (result.clean()) {
            log.info("erasure job {} for contact {} done: the scan found nothing", id, job.contact());
        } else {
            log.warn("erasure job {} for contact {} done, but the scan found erased data in {} place(s): see its certificate",
                    id, job.contact(), result.findings().size());
        }
    }

    /** The contact's chain verified; a contact who never had a ledger event (nothing answered, nothing changed) has nothing to break. */
    private LedgerVerification verifyLedgerOf(ContactId contact) {
        try {
            return ledger.verify(contact);
        } catch (io.consenthub.shared.NotFoundException noEvents) {
            return new LedgerVerification(true, 0, 1, null, null, 0, List.of());
        }
    }

    /** A step failed: the job tries it again later; the error is kept (the caller's message names no values). */
    public void failed(UUID id, Exception error) {
        String text = error.getClass().getSimpleName() + ": " + error.getMessage();
        Instant now = clock.instant();
        tx.executeWithoutResult(s -> store.failed(id, text, now.plus(settings.retryAfter()), now));
        log.warn("erasure job {}: step failed, retried in {} ({})", id, settings.retryAfter(), error.getClass().getSimpleName());
    }

    private Map<String, Object> certificate(ErasureJobStore.Job job, ScanTargets targets, ErasureScan.Result result,
                                            LedgerVerification verified, Instant now) {
        var c = new LinkedHashMap<String, Object>();
        c.put("format", "consent-hub-erasure-certificate/1");
        c.put("jobId", job.id().toString());
        c.put("contactId", job.contact().value().toString());
        c.put("requestedBy", job.requestedBy());
        c.put("reason", job.reason());
        c.put("startedAt", job.createdAt());
        c.put("finishedAt", now);
        var steps = new ArrayList<Map<String, Object>>();
        for (ErasureJobStore.Step step : store.steps(job.id())) {
            var m = new LinkedHashMap<String, Object>();
            m.put("step", step.step().name());
            m.put("item", step.item());
            m.put("outcome", step.outcome());
            m.put("detail", step.detail());
            m.put("finishedAt", step.finishedAt());
            steps.add(m);
        }
        c.put("steps", steps);
        var looked = new LinkedHashMap<String, Object>();
        looked.put("emails", targets.emails().size());
        looked.put("names", targets.names().size());
        looked.put("phones", targets.phones().size());
        looked.put("crmIds", targets.crmIds().size());
        looked.put("notLookedFor", targets.skipped());
        var scanned = ErasureScan.describe(result);
        scanned.put("lookedFor", looked);
        c.put("scan", scanned);
        c.put("ledgerVerifies", verified.ok());
        return c;
    }

    private ErasureJobStore.Job locked(UUID id, ErasureStep expected) {
        ErasureJobStore.Job job = store.lock(id).orElseThrow(() -> new NotFoundException("no erasure job " + id));
        if (job.nextStep() != expected) {
            throw new IllegalStateException("erasure job " + id + " is at step " + job.nextStep() + ", not " + expected);
        }
        return job;
    }

    private void finishStep(ErasureJobStore.Job job, ErasureStep step, String outcome, String detail) {
        Instant now = clock.instant();
        if (!store.stepDone(job.id(), step, WHOLE_STEP)) {
            store.recordStep(job.id(), step, WHOLE_STEP, outcome, detail, now);
        }
        store.advance(job.id(), step.next(), now);
    }

    /** What the scan will look for, from the contact as it is before anything is erased. */
    private ScanTargets targets(Contact contact) {
        var names = new LinkedHashSet<String>();
        var phones = new LinkedHashSet<String>();
        var skipped = new ArrayList<String>();
        Map<String, String> attributes = contact.attributes().values();
        for (String attribute : settings.nameAttributes()) {
            String value = attributes.get(attribute);
            if (value == null) {
                continue;
            }
            for (String word : value.split("[\\s,]+")) {
                if (word.codePointCount(0, word.length()) >= ScanMatcher.MIN_NAME) {
                    names.add(word);
                } else if (!word.isEmpty()) {
                    skipped.add("a word of " + attribute + " shorter than " + ScanMatcher.MIN_NAME + " letters");
                }
            }
        }
        for (String attribute : settings.phoneAttributes()) {
            String value = attributes.get(attribute);
            if (value != null) {
                String digits = ScanMatcher.phoneDigits(value);
                if (digits != null) {
                    phones.add(digits);
                } else {
                    skipped.add(attribute + " has fewer than " + ScanMatcher.MIN_PHONE_DIGITS + " digits");
                }
            }
        }
        var crmIds = contact.crmLinks().stream().map(l -> new ScanTargets.CrmId(l.connectorId(), l.externalId())).toList();
        return new ScanTargets(List.of(contact.primaryEmail().key()), List.copyOf(names), List.copyOf(phones), crmIds, skipped);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write " + value.getClass().getSimpleName(), e);
        }
    }

    private ScanTargets read(String text) {
        try {
            return json.readValue(text, ScanTargets.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the erasure job's scan targets are not readable", e);
        }
    }
}
