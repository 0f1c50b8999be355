package io.consenthub.crm.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import io.consenthub.contact.ContactDirectory;
import io.consenthub.contact.CrmLink;
import io.consenthub.crm.CrmContactSync;
import io.consenthub.crm.CrmMetrics;
import io.consenthub.crm.CrmReconciliation;
import io.consenthub.crm.CrmRejects;
import io.consenthub.crm.CrmRow;
import io.consenthub.crm.CrmSettings;
import io.consenthub.crm.CrmSyncLog;
import io.consenthub.crm.FailureText;
import io.consenthub.crm.RowHash;
import io.consenthub.crm.SyncOutcome;
import io.consenthub.crm.jdbc.ReconcileSchedule;
import io.consenthub.shared.ConflictException;
import io.consenthub.shared.InvalidInputException;
import io.consenthub.shared.NotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * Syncs the configured sObjects (Contacts, Leads) out of a Salesforce org, each object on its own:
 * its own watermark (the newest {@code SystemModstamp} it has read), its own SOQL {@code queryAll}
 * (so deleted records arrive with {@code IsDeleted = true}) following {@code nextRecordsUrl} page
 * by page, its own failure. Every poll re-reads the connector's {@code look-back} window behind the
 * watermark, so a record committed late with an older stamp is still read; re-read records are
 * recognised by content and change nothing. An object Salesforce refuses (a field hidden by
 * field-level security: {@code INVALID_FIELD}) is recorded as failed with the error code and the
 * other objects are polled all the same.
 *
 * <p>A converted Lead ({@code IsConverted}) is no longer a live record: it is marked as gone, so it
 * gets no write-back, and its converted Contact carries on; a record merged into another (deleted
 * with a {@code MasterRecordId}) likewise. The surviving record is read at once when the hub does
 * not hold it yet. A bad record is rejected on its own and never stops the poll. Called by
 * {@code routes/crm/salesforce-crm-sync.camel.yaml}.
 *
 * <p>An initial sync or a reconcile of an object holding at least {@code bulk-threshold} records
 * reads through a Bulk API 2.0 query job instead ({@link SalesforceBulkQuery}); its records take
 * the same mapping, checks and bookkeeping as REST records, page by page as they arrive.
 *
 * <p>Per object, the opt-out field ({@code PersonHasOptedOutOfEmail} for Person Accounts) and an
 * extra condition ({@link SoqlFilter}, e.g. {@code IsPersonAccount = true}) come from its mapping;
 * a mapped {@code DoNotCall} is applied by {@link SalesforceDoNotCall}, even for a refused record.
 */
@Component("salesforceCrmSync")
public class SalesforceCrmSync {

    private static final Logger log = LoggerFactory.getLogger(SalesforceCrmSync.class);
    private static final LocalDateTime BEGINNING = LocalDateTime.of(1970, 1, 1, 0, 0);
    private static final Pattern FIELD = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,79}");
    private static final Pattern RECORD_ID = Pattern.compile("[A-Za-z0-9]{15}([A-Za-z0-9]{3})?");
    private static final DateTimeFormatter SOQL_DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'");
    private static final DateTimeFormatter MODSTAMP = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd'T'HH:mm:ss").optionalStart().appendPattern(".SSS").optionalEnd()
            .appendOffset("+HHMM", "Z").toFormatter();
    private static final int PROGRESS_EVERY = 10_000;
    /** Bulk API 2.0 records applied per transaction. */
    private static final int BULK_APPLY_BATCH = 500;
    /** Salesforce keeps deletions for getDeleted for about 30 days; a reconcile asks for the last 29. */
    static final Duration DELETED_WINDOW = Duration.ofDays(29);
    /** How long a change stream's read waits for a running poll before leaving the records to the next one. */
    static final Duration READ_WAIT = Duration.ofSeconds(5);
    /** Key prefixes of the standard objects a successor (converted or master record) can be. */
    private static final Map<String, String> KEY_PREFIXES = Map.of("003", "Contact", "00Q", "Lead", "001", "Account");

    /** What one poll did; {@code failedObjects} names the objects Salesforce refused this time. */
    public record PollResult(String connectorId, long seen, long applied, long rejected, LocalDateTime watermark, int pages,
                             Map<String, String> failedObjects) {
    }

    private final CrmSettings settings;
    private final SalesforceClient client;
    private final SalesforceBulkQuery bulk;
    private final SalesforcePreflight preflight;
    private final SalesforceState state;
    private final CrmContactSync sync;
    private final CrmSyncLog syncLog;
    private final CrmMetrics metrics;
    private final SalesforceMetrics salesforceMetrics;
    private final CrmRejects rejects;
    private final CrmReconciliation reconciliation;
    private final ContactDirectory contacts;
    private final Clock clock;
    private final Map<String, ReentrantLock> polling = new ConcurrentHashMap<>();
    private final Instant hubStarted;
    private final SalesforceDoNotCall doNotCall;

    SalesforceCrmSync(CrmSettings settings, SalesforceClient client, SalesforcePreflight preflight, SalesforceState state,
                      CrmContactSync sync, CrmSyncLog syncLog, CrmMetrics metrics, SalesforceMetrics salesforceMetrics,
                      CrmRejects rejects, CrmReconciliation reconciliation, ContactDirectory contacts, Clock clock,
                      SalesforceBulkQuery bulk, SalesforceDoNotCall doNotCall) {
        this.settings = settings;
        this.client = client;
        this.bulk = bulk;
        this.preflight = preflight;
        this.state = state;
        this.sync = sync;
        this.syncLog = syncLog;
        this.metrics = metrics;
        this.salesforceMetrics = salesforceMetrics;
        this.rejects = rejects;
        this.reconciliation = reconciliation;
        this.contacts = contacts;
        this.clock = clock;
        this.hubStarted = clock.instant();
        this.doNotCall = doNotCall;
    }

    /** Polls every configured object from its watermark (less the look-back window). */
    public PollResult poll(String connectorId) {
        return run(connectorId, null);
    }

    /**
     * Re-reads every record of every object from the beginning and asks {@code getDeleted} for the
     * deletions of the last {@link #DELETED_WINDOW} (records purged from the recycle bin, which a
     * queryAll no longer returns); records the hub holds that neither returned are reported
     * missing ({@link CrmReconciliation}). Watermarks never move back.
     */
    public PollResult reconcile(String connectorId) {
        return run(connectorId, clock.instant());
    }

    /** The Salesforce connectors whose {@code salesforce.reconcile} schedule has come round. */
    public List<String> dueReconciles() {
        Instant now = clock.instant();
        return settings.connectors().entrySet().stream()
                .filter(e -> "salesforce".equals(e.getValue().kind()) && e.getValue().enabled() && e.getValue().salesforce() != null
                        && e.getValue().salesforce().reconcile() != null)
                .filter(e -> {
                    var last = reconciliation.last(e.getKey());
                    return ReconcileSchedule.due(e.getValue().salesforce().reconcile(),
                            last.map(CrmReconciliation.Run::startedAt).orElse(null),
                            last.map(run -> run.finishedAt() != null).orElse(false), hubStarted, now, clock.getZone());
                })
                .map(Map.Entry::getKey).toList();
    }

    private PollResult run(String connectorId, Instant reconcileStarted) {
        CrmSettings.Connector connector = connector(connectorId);
        ReentrantLock lock = polling.computeIfAbsent(connectorId, id -> new ReentrantLock());
        lock.lock();
        try {
            if (reconcileStarted != null) {
                reconciliation.started(connectorId, reconcileStarted);
            }
            var counts = new Counts();
            var failed = new LinkedHashMap<String, String>();
            LocalDateTime oldest = null;
            for (Map.Entry<String, CrmSettings.SObject> object : connector.salesforce().objects().entrySet()) {
                try {
                    LocalDateTime watermark = pollObject(connectorId, connector, object.getKey(), object.getValue(), counts,
                            reconcileStarted);
                    if (watermark != null && (oldest == null || watermark.isBefore(oldest))) {
                        oldest = watermark;
                    }
                    salesforceMetrics.objectPolled(connectorId, object.getKey(), true);
                } catch (RuntimeException e) {
                    String error = FailureText.of(e);
                    failed.put(object.getKey(), error);
                    state.objectFailed(connectorId, object.getKey(), error, clock.instant());
                    salesforceMetrics.objectPolled(connectorId, object.getKey(), false);
                    log.error("Salesforce {}: polling {} failed, the other objects go on: {}", connectorId, object.getKey(), error);
                }
            }
            LocalDateTime resumeAt = oldest != null ? oldest
                    : syncLog.status(connectorId).map(io.consenthub.crm.CrmStatus::watermark).orElse(BEGINNING);
            finish(connectorId, counts, failed, resumeAt);
            if (reconcileStarted != null && failed.isEmpty()) {
                var run = reconciliation.finished(connectorId, reconcileStarted, counts.seen, counts.applied, clock.instant());
                log.info("Salesforce {} reconciled: {} records read, {} applied, {} records the org no longer returns",
                        connectorId, run.rowsSeen(), run.rowsApplied(), run.missing());
            }
            return new PollResult(connectorId, counts.seen, counts.applied, counts.rejected, resumeAt, counts.pages, Map.copyOf(failed));
        } finally {
            lock.unlock();
        }
    }

    private void finish(String connectorId, Counts counts, Map<String, String> failed, LocalDateTime resumeAt) {
        if (failed.isEmpty()) {
            syncLog.progress(connectorId, resumeAt, counts.seen, counts.applied, counts.rejected);
            metrics.polled(connectorId, counts.seen, counts.applied, counts.rejected, resumeAt);
        } else {
            var errors = new ArrayList<String>();
            failed.forEach((object, error) -> errors.add(object + ": " + error));
            syncLog.partialProgress(connectorId, resumeAt, counts.seen, counts.applied, counts.rejected, String.join("; ", errors));
            metrics.rows(connectorId, "seen", counts.seen);
            metrics.rows(connectorId, "upserted", counts.applied);
            metrics.rows(connectorId, "rejected", counts.rejected);
            metrics.pollFailed(connectorId, "SalesforceObjectFailed",
                    syncLog.pollHealth(connectorId).map(io.consenthub.crm.PollHealth::consecutiveFailures).orElse(1));
        }
        if (counts.applied > 0 || counts.rejected > 0) {
            log.info("Salesforce {} polled: {} records in {} pages, {} applied, {} rejected; oldest object watermark {}",
                    connectorId, counts.seen, counts.pages, counts.applied, counts.rejected, resumeAt);
        }
    }

    /** Polls one object; answers its watermark after the poll. */
    private LocalDateTime pollObject(String connectorId, CrmSettings.Connector connector, String objectName,
                                     CrmSettings.SObject mapping, Counts counts, Instant reconcileStarted) {
        CrmSettings.Salesforce org = connector.salesforce();
        Set<String> fields = fields(objectName, mapping);
        preflight.checkOnce(connectorId, connector, objectName, fields);
        LocalDateTime stored = state.watermark(connectorId, objectName).orElse(null);
        LocalDateTime since = reconcileStarted != null || stored == null ? BEGINNING
                : stored.minus(org.lookBack()).isBefore(BEGINNING) ? BEGINNING : stored.minus(org.lookBack());
        var successors = new LinkedHashSet<String>();
        String where = SoqlFilter.and(mapping.where(),
                "SystemModstamp >= " + since.truncatedTo(ChronoUnit.SECONDS).format(SOQL_DATETIME));
        counts.requestedAt = clock.instant();
        JsonNode firstPage = client.queryAll(connectorId, org, soql(objectName, fields, where) + " ORDER BY SystemModstamp, Id");
        LocalDateTime newest = bulkWanted(org, stored, reconcileStarted, firstPage)
                ? readBulk(connectorId, org, objectName, soql(objectName, fields, where), mapping, counts, reconcileStarted, successors)
                : read(connectorId, mapping, counts, reconcileStarted, successors, firstPage, org);
        followSuccessors(connectorId, connector, successors, counts);
        if (reconcileStarted != null) {
            applyDeletions(connectorId, org, objectName, counts, reconcileStarted);
        }
        LocalDateTime watermark = newest == null || stored != null && !newest.isAfter(stored) ? stored : newest;
        state.objectPolled(connectorId, objectName, watermark, clock.instant());
        return watermark;
    }

    /** Applies every page of a query; answers the newest SystemModstamp read. */
    private LocalDateTime read(String connectorId, CrmSettings.SObject mapping, Counts counts, Instant reconcileStarted,
                               Set<String> successors, JsonNode firstPage, CrmSettings.Salesforce org) {
        LocalDateTime newest = null;
        JsonNode page = firstPage;
        while (true) {
            counts.pages++;
            var ids = new ArrayList<String>();
            for (JsonNode record : page.path("records")) {
                LocalDateTime modified = apply(connectorId, mapping, record, counts, successors);
                if (modified != null && (newest == null || modified.isAfter(newest))) {
                    newest = modified;
                }
                if (record.hasNonNull("Id")) {
                    ids.add(record.get("Id").asText());
                }
            }
            if (reconcileStarted != null) {
                reconciliation.seen(connectorId, ids, reconcileStarted);
            }
            String next = page.path("nextRecordsUrl").asText(null);
            if (page.path("done").asBoolean(true) || next == null) {
                return newest;
            }
            counts.requestedAt = clock.instant();
            page = client.queryMore(connectorId, org, next);
        }
    }

    /**
     * Whether an object's read goes through a Bulk API 2.0 query job: an initial sync (no watermark
     * yet) or a reconcile of an object holding at least {@code bulk-threshold} records, as the
     * first REST page's {@code totalSize} counts them. Below the threshold that page is used as
     * it is, so learning the count costs no call; above it, the page was the one extra call.
     */
    private static boolean bulkWanted(CrmSettings.Salesforce org, LocalDateTime stored, Instant reconcileStarted, JsonNode firstPage) {
        return org.bulkThreshold() > 0 && (stored == null || reconcileStarted != null)
                && !firstPage.path("done").asBoolean(true) && firstPage.path("totalSize").asLong(0) >= org.bulkThreshold();
    }

    /** Applies every page of a Bulk API 2.0 query job as it is read; answers the newest SystemModstamp read. */
    private LocalDateTime readBulk(String connectorId, CrmSettings.Salesforce org, String objectName, String soql,
                                   CrmSettings.SObject mapping, Counts counts, Instant reconcileStarted, Set<String> successors) {
        var newest = new LocalDateTime[1];
        try {
            bulk.read(connectorId, org, objectName, soql, records ->
                    newest[0] = newer(newest[0], applyBulkPage(connectorId, mapping, records, counts, reconcileStarted, successors)));
            return newest[0];
        } catch (SalesforceBulkQuery.BulkJobFailed e) {
            // A job Salesforce will not run (a query Bulk API 2.0 refuses, no Bulk permission, a
            // timeout) must not keep the object from ever syncing: it is read through REST instead,
            // now; what the job applied before it failed is recognised by content.
            log.warn("Salesforce {}: {}; {} is read through the REST API instead", connectorId, FailureText.of(e), objectName);
            salesforceMetrics.bulkJobFailed(connectorId, objectName);
            counts.requestedAt = clock.instant();
            return newer(newest[0], read(connectorId, mapping, counts, reconcileStarted, successors,
                    client.queryAll(connectorId, org, soql + " ORDER BY SystemModstamp, Id"), org));
        }
    }

    /**
     * Applies one page of Bulk API 2.0 records: each mapped and checked as {@link #apply} does,
     * then applied {@link #BULK_APPLY_BATCH} at a time in one transaction
     * ({@link CrmContactSync#applyAll}, the same outcome as one by one), because tens of thousands
     * of records one transaction each is what makes a large initial sync slow. A batch the store
     * refuses is applied again row by row, so only the bad record is rejected.
     */
    private LocalDateTime applyBulkPage(String connectorId, CrmSettings.SObject mapping, List<? extends JsonNode> records,
                                        Counts counts, Instant reconcileStarted, Set<String> successors) {
        counts.pages++;
        LocalDateTime newest = null;
        var ids = new ArrayList<String>();
        var batch = new ArrayList<CrmRow>();
        var doNotCalls = new ArrayList<JsonNode>();
        for (JsonNode record : records) {
            counts.seen++;
            if (record.hasNonNull("Id")) {
                ids.add(record.get("Id").asText());
            }
            CrmRow row = null;
            try {
                row = mapped(connectorId, mapping, record, successors);
                newest = newer(newest, row.modified());
                batch.add(checked(connectorId, row));
            } catch (RuntimeException e) {
                rejected(connectorId, record, row, e, counts, "the record could not be read");
            }
            if (mapping.mapsDoNotCall()) {
                doNotCalls.add(record);
            }
            if (batch.size() == BULK_APPLY_BATCH) {
                applyBatch(connectorId, batch, counts);
                applyDoNotCalls(connectorId, mapping, doNotCalls, counts);
            }
            if (counts.seen % PROGRESS_EVERY == 0) {
                log.info("Salesforce {}: {} records read so far, {} applied, {} rejected", connectorId,
                        counts.seen, counts.applied, counts.rejected);
            }
        }
        applyBatch(connectorId, batch, counts);
        applyDoNotCalls(connectorId, mapping, doNotCalls, counts);
        if (reconcileStarted != null) {
            reconciliation.seen(connectorId, ids, reconcileStarted);
        }
        return newest;
    }

    /**
     * The DoNotCall of records just applied in a batch (so a new record's contact is linked by now),
     * their marks looked up in one select. Empties the list.
     */
    private void applyDoNotCalls(String connectorId, CrmSettings.SObject mapping, List<JsonNode> records, Counts counts) {
        Map<String, SalesforceDoNotCall.Mark> marks;
        try {
            marks = records.isEmpty() ? Map.of() : doNotCall.marks(connectorId, mapping, records);
        } catch (RuntimeException e) {
            marks = null;
        }
        for (JsonNode record : records) {
            applyDoNotCall(connectorId, mapping, record, null, counts.requestedAt, marks);
        }
        records.clear();
    }

    /** Applies checked rows in one transaction; if the store refuses, one by one. Empties the batch. */
    private void applyBatch(String connectorId, List<CrmRow> batch, Counts counts) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            counts.applied += sync.applyAll(batch);
        } catch (RuntimeException e) {
            log.info("Salesforce {}: a batch of {} records was rolled back ({}); applying them one by one", connectorId,
                    batch.size(), e.getClass().getSimpleName());
            for (CrmRow row : batch) {
                try {
                    if (sync.apply(row).changedSomething()) {
                        counts.applied++;
                    }
                } catch (InvalidInputException | ConflictException rowFailure) {
                    counts.rejected++;
                    rejects.reject(connectorId, row.externalId(), row, rowFailure.getMessage());
                } catch (RuntimeException rowFailure) {
                    counts.rejected++;
                    rejects.reject(connectorId, row.externalId(), row,
                            "the store refused the record (" + rowFailure.getClass().getSimpleName() + ")");
                }
            }
        } finally {
            batch.clear();
        }
    }

    private static LocalDateTime newer(LocalDateTime a, LocalDateTime b) {
        return a == null || b != null && b.isAfter(a) ? b : a;
    }

    /** Applies one record; answers its SystemModstamp (null if it had none or could not be read). */
    private LocalDateTime apply(String connectorId, CrmSettings.SObject mapping, JsonNode record, Counts counts,
                                Set<String> successors) {
        counts.seen++;
        CrmRow row = null;
        try {
            row = mapped(connectorId, mapping, record, successors);
            if (sync.apply(checked(connectorId, row)).changedSomething()) {
                counts.applied++;
            }
        } catch (RuntimeException e) {
            rejected(connectorId, record, row, e, counts, "the store refused the record");
        }
        applyDoNotCall(connectorId, mapping, record, row, counts.requestedAt);
        if (counts.seen % PROGRESS_EVERY == 0) {
            log.info("Salesforce {}: {} records read so far, {} applied, {} rejected", connectorId,
                    counts.seen, counts.applied, counts.rejected);
        }
        return row == null ? null : row.modified();
    }

    /**
     * Records a rejected record: our own refusals by their message (they name rules and fields),
     * anything else by its class only — no record, whatever its bytes, may stop the poll, and a
     * store's message may quote values.
     */
    private void rejected(String connectorId, JsonNode record, CrmRow row, RuntimeException e, Counts counts, String otherwise) {
        counts.rejected++;
        rejects.reject(connectorId, record.path("Id").asText(null), row,
                e instanceof InvalidInputException || e instanceof ConflictException ? e.getMessage()
                        : otherwise + " (" + e.getClass().getSimpleName() + ")");
    }

    /** Maps a record to its row and notes the record that carries on for it, if any. */
    private static CrmRow mapped(String connectorId, CrmSettings.SObject mapping, JsonNode record, Set<String> successors) {
        CrmRow row = row(connectorId, mapping, record);
        String successor = successor(record);
        if (successor != null) {
            successors.add(successor);
        }
        return row;
    }

    /**
     * As the JDBC connector does: a bad field is refused alone (and recorded), so the record's
     * opt-out (and deletion) is applied whatever else is wrong with it.
     */
    private CrmRow checked(String connectorId, CrmRow row) {
        CrmContactSync.Checked checked = sync.check(row);
        for (String refused : checked.refusedFields()) {
            rejects.refuseField(connectorId, row, refused);
        }
        return checked.row();
    }

    /**
     * The record's DoNotCall, whatever else was wrong with it: a phone opt-out of a linked contact
     * is applied even when the record itself was refused.
     */
    private void applyDoNotCall(String connectorId, CrmSettings.SObject mapping, JsonNode record, CrmRow row,
                                Instant requestedAt) {
        applyDoNotCall(connectorId, mapping, record, row, requestedAt, null);
    }

    /** As above, with the batch's marks ({@link SalesforceDoNotCall#marks}; null: looked up for the record alone). */
    private void applyDoNotCall(String connectorId, CrmSettings.SObject mapping, JsonNode record, CrmRow row,
                                Instant requestedAt, Map<String, SalesforceDoNotCall.Mark> marks) {
        try {
            if (marks == null) {
                doNotCall.read(connectorId, mapping, record, requestedAt);
            } else {
                doNotCall.read(connectorId, mapping, record, requestedAt, marks);
            }
        } catch (RuntimeException e) {
            rejects.reject(connectorId, record.path("Id").asText(null), row,
                    "its " + mapping.doNotCallField() + " could not be applied (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** The record that carries on for a converted Lead or a merged-away record, or null. */
    private static String successor(JsonNode record) {
        if (record.path("IsConverted").asBoolean(false)) {
            return text(record, "ConvertedContactId");
        }
        if (record.path("IsDeleted").asBoolean(false)) {
            return text(record, "MasterRecordId");
        }
        return null;
    }

    /** Reads at once the surviving records the hub does not hold yet, from their own objects if configured. */
    private void followSuccessors(String connectorId, CrmSettings.Connector connector, Set<String> successors, Counts counts) {
        var byObject = new LinkedHashMap<String, List<String>>();
        for (String id : successors) {
            String objectName = id.length() < 3 ? null : KEY_PREFIXES.get(id.substring(0, 3));
            if (objectName != null && connector.salesforce().objects().containsKey(objectName) && RECORD_ID.matcher(id).matches()
                    && contacts.findByLink(new CrmLink(connectorId, id)).isEmpty()) {
                byObject.computeIfAbsent(objectName, o -> new ArrayList<>()).add(id);
            }
        }
        byObject.forEach((objectName, ids) -> {
            CrmSettings.SObject mapping = connector.salesforce().objects().get(objectName);
            String in = SoqlFilter.and(mapping.where(), "Id IN ('" + String.join("', '", ids) + "')");
            counts.requestedAt = clock.instant();
            read(connectorId, mapping, counts, null, new LinkedHashSet<>(),
                    client.queryAll(connectorId, connector.salesforce(), soql(objectName, fields(objectName, mapping), in)),
                    connector.salesforce());
        });
    }

    /** Marks the records getDeleted names (purged ones included) as deleted, unless the hub knows already. */
    private void applyDeletions(String connectorId, CrmSettings.Salesforce org, String objectName, Counts counts, Instant now) {
        JsonNode deleted = client.deleted(connectorId, org, objectName, now.minus(DELETED_WINDOW), now);
        var ids = new ArrayList<String>();
        for (JsonNode record : deleted.path("deletedRecords")) {
            String id = text(record, "id");
            String when = text(record, "deletedDate");
            if (id == null) {
                continue;
            }
            ids.add(id);
            applyDeletion(connectorId, id, when, counts);
        }
        reconciliation.seen(connectorId, ids, now);
    }

    /** Marks one record deleted as Salesforce said ({@code when}: its deletedDate or the event's commit time). */
    private void applyDeletion(String connectorId, String id, String when, Counts counts) {
        counts.seen++;
        try {
            LocalDateTime modified = when == null ? null
                    : OffsetDateTime.parse(when, MODSTAMP).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
            var row = new CrmRow(connectorId, id, null, Map.of(), false, true, modified,
                    RowHash.of(new TreeMap<>(Map.of("Id", id, "IsDeleted", "true", "deletedDate", String.valueOf(when)))));
            if (sync.apply(sync.check(row).row()).changedSomething()) {
                counts.applied++;
            }
        } catch (RuntimeException e) {
            counts.rejected++;
            rejects.reject(connectorId, id, null, "the deletion could not be applied (" + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * Reads the named records of one object now, through the same mapping and rules as a poll (a
     * change event named them); a converted or merged record's successor is followed as in a poll.
     * Watermarks do not move: the next poll re-reads these records and finds them unchanged.
     * Record ids that are not Salesforce ids are left out. Up to 200 ids per query.
     */
    public PollResult readRecords(String connectorId, String objectName, List<String> ids) {
        CrmSettings.Connector connector = connector(connectorId);
        CrmSettings.SObject mapping = connector.salesforce().objects().get(objectName);
        var counts = new Counts();
        if (mapping == null) {
            return new PollResult(connectorId, 0, 0, 0, null, 0, Map.of());
        }
        List<String> valid = ids.stream().filter(id -> RECORD_ID.matcher(id).matches()).distinct().toList();
        ReentrantLock lock = polling.computeIfAbsent(connectorId, id -> new ReentrantLock());
        if (!tryLock(lock, READ_WAIT)) {
            // A long poll (an initial sync, a reconcile) must not hold the change stream up: its
            // opt-outs and deletions go on being applied; these records the next poll reads.
            log.info("Salesforce {}: a poll is running; {} changed {} records are left to the next poll", connectorId,
                    valid.size(), objectName);
            return new PollResult(connectorId, 0, 0, 0, null, 0, Map.of());
        }
        try {
            var successors = new LinkedHashSet<String>();
            for (int from = 0; from < valid.size(); from += 200) {
                List<String> part = valid.subList(from, Math.min(valid.size(), from + 200));
                counts.requestedAt = clock.instant();
                read(connectorId, mapping, counts, null, successors, client.queryAll(connectorId, connector.salesforce(),
                        soql(objectName, fields(objectName, mapping),
                                SoqlFilter.and(mapping.where(), "Id IN ('" + String.join("', '", part) + "')"))),
                        connector.salesforce());
            }
            followSuccessors(connectorId, connector, successors, counts);
        } finally {
            lock.unlock();
        }
        return new PollResult(connectorId, counts.seen, counts.applied, counts.rejected, null, counts.pages, Map.of());
    }

    /** Polls now unless a poll of the connector is running already; answers whether it polled. */
    public boolean pollIfIdle(String connectorId) {
        ReentrantLock lock = polling.computeIfAbsent(connectorId, id -> new ReentrantLock());
        if (!lock.tryLock()) {
            return false;
        }
        try {
            run(connectorId, null);
            return true;
        } finally {
            lock.unlock();
        }
    }

    private static boolean tryLock(ReentrantLock lock, Duration wait) {
        try {
            return lock.tryLock(wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Marks the records a change event says were deleted; answers how many changed something. */
    public long applyDeleted(String connectorId, List<String> ids, Instant committed) {
        connector(connectorId);
        var counts = new Counts();
        String when = committed == null ? null : MODSTAMP.format(committed.atOffset(ZoneOffset.UTC));
        ids.stream().filter(id -> RECORD_ID.matcher(id).matches()).distinct()
                .forEach(id -> applyDeletion(connectorId, id, when, counts));
        return counts.applied;
    }

    /** The fields the sync reads from an object: its mapping and what it needs to know of the record. */
    static Set<String> fields(String objectName, CrmSettings.SObject mapping) {
        var fields = new LinkedHashSet<String>(List.of("Id", "SystemModstamp", "IsDeleted", mapping.optOutField(), mapping.email()));
        if (KEY_PREFIXES.containsValue(objectName)) {
            fields.add("MasterRecordId");
        }
        if ("Lead".equals(objectName)) {
            fields.add("IsConverted");
            fields.add("ConvertedContactId");
        }
        fields.addAll(mapping.attributes().values());
        if (mapping.doNotCallField() != null) {
            fields.add(mapping.doNotCallField());
        }
        for (String field : fields) {
            if (!FIELD.matcher(field).matches()) {
                throw new IllegalStateException("Salesforce field name '" + field + "' in the mapping of " + objectName + " is not a field name");
            }
        }
        if (!FIELD.matcher(objectName).matches()) {
            throw new IllegalStateException("'" + objectName + "' is not an sObject name");
        }
        return fields;
    }

    /**
     * The SOQL for one object. Watermarks are floored to the second (SOQL datetime literals have
     * no fractions), which only re-reads records that are then recognised as unchanged.
     */
    static String soql(String objectName, Set<String> fields, String where) {
        return "SELECT " + String.join(", ", fields) + " FROM " + objectName + " WHERE " + where;
    }

    private static CrmRow row(String connectorId, CrmSettings.SObject mapping, JsonNode record) {
        String id = text(record, "Id");
        if (id == null || id.isBlank()) {
            throw new InvalidInputException("the record has no Id");
        }
        var attributes = new LinkedHashMap<String, String>();
        mapping.attributes().forEach((attribute, field) -> attributes.put(attribute, text(record, field)));
        String modstamp = text(record, "SystemModstamp");
        LocalDateTime modified = modstamp == null ? null
                : OffsetDateTime.parse(modstamp, MODSTAMP).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
        boolean gone = record.path("IsDeleted").asBoolean(false) || record.path("IsConverted").asBoolean(false);
        return new CrmRow(connectorId, id, text(record, mapping.email()), attributes,
                record.path(mapping.optOutField()).asBoolean(false), gone, modified, hash(record));
    }

    private static String text(JsonNode record, String field) {
        JsonNode value = record.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String hash(JsonNode record) {
        var values = new TreeMap<String, String>();
        for (Iterator<Map.Entry<String, JsonNode>> it = record.fields(); it.hasNext(); ) {
            var field = it.next();
            if (!"attributes".equals(field.getKey())) {
                values.put(field.getKey(), field.getValue().isNull() ? null : field.getValue().asText());
            }
        }
        return RowHash.of(values);
    }

    private CrmSettings.Connector connector(String connectorId) {
        CrmSettings.Connector connector = settings.connectors().get(connectorId);
        if (connector == null || !"salesforce".equals(connector.kind()) || connector.salesforce() == null) {
            throw new NotFoundException("no Salesforce CRM connector '" + connectorId + "' is configured");
        }
        return connector;
    }

    private static final class Counts {
        /**
         * When the page being applied was asked for (for a Bulk job, its counting page: before the
         * job's snapshot): a DoNotCall read that disagrees with a hub write not before it may predate it.
         */
        Instant requestedAt;
        long seen;
        long applied;
        long rejected;
        int pages;
    }
}
