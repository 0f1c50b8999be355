package io.consenthub.crm.salesforce;

import io.consenthub.crm.CrmContactSync;
import io.consenthub.crm.CrmSettings;
import io.consenthub.crm.FailureText;
import io.consenthub.crm.LogText;
import io.consenthub.crm.RowHash;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The steps of {@code routes/crm/salesforce-crm-sync.camel.yaml}'s change stream: {@link #receive}
 * applies what one Change Data Capture event says by itself (an opt-out, a deletion; rules in
 * {@link ChangeEventRules}), stores the event's replay id and answers the records that must be
 * read; {@link #read} reads those, gathered by the route, by Id through the same mapping as a poll.
 * No event can stop the stream: one that cannot be applied is logged by record id, counted and
 * left to the next poll, which reads every changed record anyway.
 */
@Component("salesforceChanges")
public class SalesforceChanges {

    private static final Logger log = LoggerFactory.getLogger(SalesforceChanges.class);

    private final CrmSettings settings;
    private final SalesforceCrmSync sync;
    private final CrmContactSync contactSync;
    private final SalesforceStreamState state;
    private final SalesforceMetrics metrics;
    private final Clock clock;
    private final ObjectMapper json;
    private final Map<String, Long> lastReceived = new java.util.concurrent.ConcurrentHashMap<>();

    SalesforceChanges(CrmSettings settings, SalesforceCrmSync sync, CrmContactSync contactSync,
                      SalesforceStreamState state, SalesforceMetrics metrics, Clock clock, ObjectMapper json) {
        this.json = json;
        this.settings = settings;
        this.sync = sync;
        this.contactSync = contactSync;
        this.state = state;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Applies one change event's opt-out or deletion and records its replay id; answers the records
     * to read, as {@code Object/Id}. The body is the event as Salesforce sent it (camel-salesforce's
     * raw payload): {@code data.payload} holds the {@code ChangeEventHeader} and the changed
     * fields, {@code data.event.replayId} the replay id. An event at or before the last one this
     * subscription handled is skipped (camel-salesforce can hand one event over twice).
     */
    public List<String> receive(String connectorId, String body) {
        CrmSettings.Salesforce org = settings.connectors().get(connectorId).salesforce();
        String channel = org.streaming().channel();
        var toRead = new ArrayList<String>();
        String reaction = "ignore";
        String changeType = null;
        Long replayId = null;
        var ids = new ArrayList<String>();
        String entity = null;
        try {
            JsonNode event = json.readTree(body);
            JsonNode payload = event.path("data").path("payload");
            JsonNode header = payload.path("ChangeEventHeader");
            entity = header.path("entityName").asText(null);
            changeType = header.path("changeType").asText(null);
            JsonNode replay = event.path("data").path("event").path("replayId");
            replayId = replay.canConvertToLong() ? replay.asLong() : null;
            header.path("recordIds").forEach(id -> ids.add(id.asText()));
            Long last = replayId == null ? null : lastReceived.get(connectorId);
            if (last != null && last >= replayId) {
                metrics.changeEvent(connectorId, "duplicate");
                return List.of();
            }
            JsonNode committed = header.path("commitTimestamp");
            Instant committedAt = committed.canConvertToLong() ? Instant.ofEpochMilli(committed.asLong()) : null;
            CrmSettings.SObject mapping = entity == null ? null : org.objects().get(entity);
            if (mapping != null) {
                reaction = apply(connectorId, org, entity, mapping, changeType, changed(header, payload), payload, ids,
                        replayId, committedAt, toRead);
            }
            if (replayId != null) {
                lastReceived.put(connectorId, replayId);
                state.received(connectorId, channel, replayId, clock.instant());
            }
        } catch (IOException | RuntimeException e) {
            reaction = "failed";
            String error = "change event " + LogText.clean(changeType) + " of " + LogText.clean(String.join(",", ids))
                    + " (replay id " + replayId + "): " + FailureText.of(e);
            state.failed(connectorId, channel, error, clock.instant());
            boolean readAgain = entity != null && org.objects().containsKey(entity) && org.streaming().readChanges();
            log.warn("Salesforce {}: {}; {}", connectorId, error,
                    readAgain ? "its records are read again" : "the next poll reads its records");
            if (readAgain) {
                for (String id : ids) {
                    toRead.add(entity + "/" + id);
                }
            }
        }
        metrics.changeEvent(connectorId, reaction);
        return List.copyOf(new LinkedHashSet<>(toRead));
    }

    /** What the event's rule says, done; answers the reaction's name for the metric. */
    private String apply(String connectorId, CrmSettings.Salesforce org, String entity, CrmSettings.SObject mapping,
                         String changeType, Set<String> changed, JsonNode payload, List<String> ids, Long replayId,
                         Instant committedAt, List<String> toRead) {
        String optOutField = mapping.optOutField();
        JsonNode optOut = payload.get(optOutField);
        ChangeEventRules.Reaction what = ChangeEventRules.of(changeType, changed,
                optOut == null || optOut.isNull() ? null : optOut.asBoolean(), SalesforceCrmSync.fields(entity, mapping),
                optOutField);
        boolean read = what.read() && org.streaming().readChanges();
        if (what.optOut()) {
            for (String id : ids) {
                String hash = RowHash.of(Map.of("Id", id, optOutField, "true", "replayId", String.valueOf(replayId)));
                CrmContactSync.StreamedOptOut done = contactSync.applyStreamedOptOut(connectorId, id, committedAt, hash);
                if (done == CrmContactSync.StreamedOptOut.NOT_LINKED && org.streaming().readChanges()) {
                    // Not linked yet (created just now, or a record the hub skipped): the whole record decides.
                    toRead.add(entity + "/" + id);
                }
            }
        }
        if (what.delete()) {
            sync.applyDeleted(connectorId, ids, committedAt);
        }
        if (read) {
            ids.forEach(id -> toRead.add(entity + "/" + id));
        }
        if (what.poll()) {
            log.info("Salesforce {}: the org reported too many changes to describe ({}); polling now", connectorId,
                    LogText.clean(changeType));
            if (!sync.pollIfIdle(connectorId)) {
                log.info("Salesforce {}: a poll is running already; the next one reads those changes", connectorId);
            }
        }
        return what.poll() ? "poll" : what.delete() ? "delete" : what.optOut() ? "opt-out" : read ? "read" : "ignore";
    }

    /** The fields an event changed: its header's changedFields and its body's fields, compound parts as Name.FirstName. */
    private static Set<String> changed(JsonNode header, JsonNode payload) {
        var changed = new LinkedHashSet<String>();
        header.path("changedFields").forEach(field -> changed.add(field.asText()));
        payload.fields().forEachRemaining(field -> {
            if (field.getKey().equals("ChangeEventHeader")) {
                return;
            }
            if (field.getValue().isObject()) {
                field.getValue().fieldNames().forEachRemaining(part -> changed.add(field.getKey() + "." + part));
            } else {
                changed.add(field.getKey());
            }
        });
        return changed;
    }

    /** A new subscription starts: events are compared with what it hands over, not an earlier one. */
    void subscribing(String connectorId) {
        lastReceived.remove(connectorId);
    }

    /** Reads the named records ({@code Object/Id}) by Id, one query per object and 200 records. */
    public void read(String connectorId, List<?> keys) {
        var byObject = new LinkedHashMap<String, Set<String>>();
        for (Object key : keys) {
            String text = String.valueOf(key);
            int slash = text.indexOf('/');
            if (slash > 0) {
                byObject.computeIfAbsent(text.substring(0, slash), o -> new LinkedHashSet<>()).add(text.substring(slash + 1));
            }
        }
        byObject.forEach((objectName, ids) -> {
            try {
                SalesforceCrmSync.PollResult result = sync.readRecords(connectorId, objectName, List.copyOf(ids));
                if (result.applied() > 0 || result.rejected() > 0) {
                    log.info("Salesforce {}: {} {} records read after change events, {} applied, {} rejected", connectorId,
                            result.seen(), objectName, result.applied(), result.rejected());
                }
            } catch (RuntimeException e) {
                String error = "reading " + ids.size() + " changed " + objectName + " records failed: " + FailureText.of(e);
                state.failed(connectorId, settings.connectors().get(connectorId).salesforce().streaming().channel(), error,
                        clock.instant());
                log.warn("Salesforce {}: {}; the next poll reads them", connectorId, error);
            }
        });
    }

}
