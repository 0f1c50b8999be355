package io.consenthub.crm.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import io.consenthub.crm.CrmContactSync;
import io.consenthub.crm.CrmMetrics;
import io.consenthub.crm.CrmRow;
import io.consenthub.crm.CrmSettings;
import io.consenthub.crm.RowHash;
import io.consenthub.crm.CrmStatus;
import io.consenthub.crm.CrmRejects;
import io.consenthub.crm.CrmSyncLog;
import io.consenthub.crm.SyncOutcome;
import io.consenthub.shared.ConflictException;
import io.consenthub.shared.InvalidInputException;
import io.consenthub.shared.NotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

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
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Syncs Contacts and Leads out of a Salesforce org: a SOQL {@code queryAll} (so deleted records
 * arrive with {@code IsDeleted = true}) of the records whose {@code SystemModstamp} is at or after
 * the watermark, following {@code nextRecordsUrl} page by page. Records sharing the watermark's
 * instant are re-read and compared by content, so none is skipped or applied twice; a bad record
 * is rejected on its own and never stops the poll. Called by {@code routes/crm/salesforce-crm-sync.camel.yaml}.
 */
@Component("salesforceCrmSync")
public class SalesforceCrmSync {

    private static final Logger log = LoggerFactory.getLogger(SalesforceCrmSync.class);
    private static final LocalDateTime BEGINNING = LocalDateTime.of(1970, 1, 1, 0, 0);
    private static final Pattern FIELD = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,79}");
    private static final DateTimeFormatter SOQL_DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'");
    private static final DateTimeFormatter MODSTAMP = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd'T'HH:mm:ss").optionalStart().appendPattern(".SSS").optionalEnd()
            .appendOffset("+HHMM", "Z").toFormatter();
    private static final int PROGRESS_EVERY = 10_000;

    /** What one poll did. */
    public record PollResult(String connectorId, long seen, long applied, long rejected, LocalDateTime watermark, int pages) {
    }

    private final CrmSettings settings;
    private final SalesforceClient client;
    private final CrmContactSync sync;
    private final CrmSyncLog syncLog;
    private final CrmMetrics metrics;
    private final CrmRejects rejects;

    SalesforceCrmSync(CrmSettings settings, SalesforceClient client, CrmContactSync sync, CrmSyncLog syncLog,
                      CrmMetrics metrics, CrmRejects rejects) {
        this.rejects = rejects;
        this.settings = settings;
        this.client = client;
        this.sync = sync;
        this.syncLog = syncLog;
        this.metrics = metrics;
    }

    public PollResult poll(String connectorId) {
        CrmSettings.Connector connector = connector(connectorId);
        CrmSettings.Salesforce org = connector.salesforce();
        LocalDateTime since = syncLog.status(connectorId).map(CrmStatus::watermark).orElse(BEGINNING);
        var counts = new Object() {
            long seen;
            long applied;
            long rejected;
            int pages;
        };
        LocalDateTime watermark = null;
        for (Map.Entry<String, CrmSettings.SObject> object : org.objects().entrySet()) {
            LocalDateTime newest = null;
            JsonNode page = client.queryAll(connectorId, org, soql(object.getKey(), object.getValue(), since));
            while (true) {
                counts.pages++;
                for (JsonNode record : page.path("records")) {
                    counts.seen++;
                    CrmRow row = null;
                    try {
                        row = row(connectorId, object.getValue(), record);
                        if (row.modified() != null && (newest == null || row.modified().isAfter(newest))) {
                            newest = row.modified();
                        }
                        // As the JDBC connector does: a bad field is refused alone, so the record's
                        // opt-out (and deletion) is applied whatever else is wrong with it.
                        CrmContactSync.Checked checked = sync.check(row);
                        for (String refused : checked.refusedFields()) {
                            rejects.refuseField(connectorId, row, refused);
                        }
                        if (sync.apply(checked.row()) != SyncOutcome.UNCHANGED) {
                            counts.applied++;
                        }
                    } catch (InvalidInputException | ConflictException e) {
                        counts.rejected++;
                        rejects.reject(connectorId, record.path("Id").asText(null), row, e.getMessage());
                    } catch (RuntimeException e) {
                        // No record, whatever its bytes, may stop the poll; a store's message may quote values.
                        counts.rejected++;
                        rejects.reject(connectorId, record.path("Id").asText(null), row, "the store refused the record (" + e.getClass().getSimpleName() + ")");
                    }
                    if (counts.seen % PROGRESS_EVERY == 0) {
                        log.info("CRM {}: {} records read so far, {} applied, {} rejected", connectorId,
                                counts.seen, counts.applied, counts.rejected);
                    }
                }
                String next = page.path("nextRecordsUrl").asText(null);
                if (page.path("done").asBoolean(true) || next == null) {
                    break;
                }
                page = client.queryMore(connectorId, org, next);
            }
            if (newest != null && (watermark == null || newest.isBefore(watermark))) {
                watermark = newest;
            }
        }
        LocalDateTime resumeAt = watermark == null ? since : watermark;
        syncLog.progress(connectorId, resumeAt, counts.seen, counts.applied, counts.rejected);
        metrics.polled(connectorId, counts.seen, counts.applied, counts.rejected, resumeAt);
        if (counts.applied > 0 || counts.rejected > 0) {
            log.info("CRM {} polled: {} records in {} pages, {} applied, {} rejected; watermark {}", connectorId,
                    counts.seen, counts.pages, counts.applied, counts.rejected, resumeAt);
        }
        return new PollResult(connectorId, counts.seen, counts.applied, counts.rejected, resumeAt, counts.pages);
    }

    /**
     * The SOQL for one object. The watermark is floored to the second (SOQL datetime literals have
     * no fractions), which only re-reads records that are then recognised as unchanged.
     */
    static String soql(String objectName, CrmSettings.SObject mapping, LocalDateTime since) {
        var fields = new LinkedHashSet<String>(List.of("Id", "SystemModstamp", "IsDeleted", "HasOptedOutOfEmail", mapping.email()));
        fields.addAll(mapping.attributes().values());
        for (String field : fields) {
            if (!FIELD.matcher(field).matches()) {
                throw new IllegalStateException("Salesforce field name '" + field + "' in the mapping of " + objectName + " is not a field name");
            }
        }
        if (!FIELD.matcher(objectName).matches()) {
            throw new IllegalStateException("'" + objectName + "' is not an sObject name");
        }
        return "SELECT " + String.join(", ", fields) + " FROM " + objectName + " WHERE SystemModstamp >= "
                + since.truncatedTo(ChronoUnit.SECONDS).format(SOQL_DATETIME) + " ORDER BY SystemModstamp, Id";
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
        return new CrmRow(connectorId, id, text(record, mapping.email()), attributes,
                record.path("HasOptedOutOfEmail").asBoolean(false), record.path("IsDeleted").asBoolean(false),
                modified, hash(record));
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
}
