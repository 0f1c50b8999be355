package io.consenthub.crm;

import io.consenthub.contact.Attributes;
import io.consenthub.contact.EmailAddress;
import io.consenthub.shared.InvalidInputException;
import io.consenthub.shared.NotFoundException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bulk upsert for CRMs that push their records to the hub instead of being polled (connector kind
 * {@code push}). Idempotent by (connector, external id, modified time): a record sent again with the
 * same modification time, or one older than what was applied, changes nothing, so a CRM can safely
 * resend a batch after a timeout. Every record is checked before any is applied, and the batch is
 * one transaction: one bad record and nothing is written.
 */
@Service
public class CrmPush {

    public static final int MAX_RECORDS = 10_000;

    /** One pushed record; {@code attributes} use hub attribute names. */
    public record PushedRecord(String externalId, String email, Instant modified, boolean deleted, boolean emailOptOut,
                               Map<String, String> attributes) {
    }

    private final CrmSettings settings;
    private final CrmContactSync sync;
    private final CrmSyncLog syncLog;
    private final CrmMetrics metrics;

    CrmPush(CrmSettings settings, CrmContactSync sync, CrmSyncLog syncLog, CrmMetrics metrics) {
        this.settings = settings;
        this.sync = sync;
        this.syncLog = syncLog;
        this.metrics = metrics;
    }

    /** Checks the whole batch and names every problem, before anything is written. */
    public void validate(String connectorId, List<PushedRecord> records) {
        CrmSettings.Connector connector = settings.connectors().get(connectorId);
        if (connector == null || !"push".equals(connector.kind()) || !connector.enabled()) {
            throw new NotFoundException("no enabled push connector '" + connectorId + "' is configured");
        }
        if (records == null || records.isEmpty()) {
            throw new InvalidInputException("'contacts' must hold at least one record");
        }
        if (records.size() > MAX_RECORDS) {
            throw new InvalidInputException("at most " + MAX_RECORDS + " records per request; split the batch");
        }
        var problems = new ArrayList<String>();
        var seen = new HashMap<String, Integer>();
        for (int i = 0; i < records.size() && problems.size() < 50; i++) {
            PushedRecord r = records.get(i);
            String where = "contacts[" + i + "]: ";
            if (r == null) {
                problems.add(where + "a record object is required");
                continue;
            }
            if (r.externalId() == null || r.externalId().isBlank() || r.externalId().length() > 255) {
                problems.add(where + "externalId must be 1 to 255 characters");
            } else {
                Integer first = seen.putIfAbsent(r.externalId(), i);
                if (first != null) {
                    problems.add(where + "externalId " + r.externalId() + " already appears in contacts[" + first + "]");
                }
            }
            if (r.modified() == null) {
                problems.add(where + "modified (the CRM's modification time, ISO-8601 with offset) is required");
            }
            if (!r.deleted()) {
                try {
                    new EmailAddress(r.email());
                    new Attributes(withoutNulls(r.attributes()));
                } catch (InvalidInputException e) {
                    problems.add(where + e.getMessage());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(String.join("; ", problems));
        }
    }

    /** Applies a validated batch in one transaction; answers how many records did what. */
    @Transactional
    public Map<String, Object> apply(String connectorId, List<PushedRecord> records) {
        validate(connectorId, records);
        var outcomes = new EnumMap<SyncOutcome, Long>(SyncOutcome.class);
        LocalDateTime newest = null;
        for (PushedRecord r : records) {
            LocalDateTime modified = LocalDateTime.ofInstant(r.modified(), ZoneOffset.UTC);
            var row = new CrmRow(connectorId, r.externalId(), r.email(),
                    r.attributes() == null ? Map.of() : new LinkedHashMap<>(r.attributes()),
                    r.emailOptOut(), r.deleted(), modified, hash(r.externalId(), modified));
            outcomes.merge(sync.apply(row), 1L, Long::sum);
            newest = newest == null || modified.isAfter(newest) ? modified : newest;
        }
        long unchanged = outcomes.getOrDefault(SyncOutcome.UNCHANGED, 0L);
        LocalDateTime previous = syncLog.status(connectorId).map(CrmStatus::watermark).orElse(null);
        syncLog.progress(connectorId, previous != null && previous.isAfter(newest) ? previous : newest,
                records.size(), records.size() - unchanged, 0);
        metrics.rows(connectorId, "seen", records.size());
        metrics.rows(connectorId, "upserted", records.size() - unchanged);
        metrics.rows(connectorId, "unchanged", unchanged);
        var answer = new LinkedHashMap<String, Object>();
        answer.put("connectorId", connectorId);
        answer.put("received", records.size());
        for (SyncOutcome outcome : SyncOutcome.values()) {
            answer.put(outcome.name().toLowerCase().replace("_d", "D").replace("_", ""), outcomes.getOrDefault(outcome, 0L));
        }
        return answer;
    }

    private static String hash(String externalId, LocalDateTime modified) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("push\0" + externalId + "\0" + modified).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static Map<String, String> withoutNulls(Map<String, String> attributes) {
        var copy = new HashMap<String, String>();
        if (attributes != null) {
            attributes.forEach((k, v) -> {
                if (v != null) {
                    copy.put(k, v);
                }
            });
        }
        return copy;
    }
}
