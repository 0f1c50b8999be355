package io.consenthub.crm.salesforce;

import io.consenthub.crm.CrmSettings;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Salesforce part of a connector's status ({@code GET /api/crm/{id}/status}, key
 * {@code salesforce}): each object's watermark and last poll (its error by Salesforce code and
 * field), what the start-up preflight found, the API calls the hub made per UTC day, the org's
 * daily usage as Salesforce last reported it, whether calls are held off and why, and, for a
 * streaming connector, its change stream: subscribed on this member or not, the replay id it
 * resumes from, events received, the last error.
 */
@Component
public class SalesforceStatus {

    private static final int DAYS = 7;

    private final SalesforceState state;
    private final SalesforcePreflight preflight;
    private final CrmSettings settings;
    private final SalesforceStreamState streams;
    private final SalesforceStreams streaming;

    SalesforceStatus(SalesforceState state, SalesforcePreflight preflight, CrmSettings settings, SalesforceStreamState streams,
                     SalesforceStreams streaming) {
        this.state = state;
        this.preflight = preflight;
        this.settings = settings;
        this.streams = streams;
        this.streaming = streaming;
    }

    public Map<String, Object> of(String connectorId) {
        var answer = new LinkedHashMap<String, Object>();
        var objects = new ArrayList<Map<String, Object>>();
        for (SalesforceState.ObjectState object : state.objects(connectorId)) {
            var entry = new LinkedHashMap<String, Object>();
            entry.put("object", object.objectName());
            putIf(entry, "watermark", object.watermark());
            putIf(entry, "lastPollAt", object.lastPollAt());
            putIf(entry, "lastOutcome", object.lastOutcome());
            putIf(entry, "lastError", object.lastError());
            entry.put("consecutiveFailures", object.consecutiveFailures());
            putIf(entry, "failingSince", object.failingSince());
            putIf(entry, "lastSuccessAt", object.lastSuccessAt());
            objects.add(entry);
        }
        answer.put("objects", objects);
        var problems = new ArrayList<String>();
        preflight.problems(connectorId).values().forEach(problems::addAll);
        answer.put("preflightProblems", problems);
        var calls = new ArrayList<Map<String, Object>>();
        state.calls(connectorId, DAYS).forEach((day, count) -> calls.add(Map.of("day", day.toString(), "calls", count)));
        answer.put("apiCallsPerDay", calls);
        SalesforceState.OrgState org = state.org(connectorId);
        if (org.dailyMax() != null) {
            answer.put("dailyApiRequests", Map.of("used", org.dailyUsed(), "max", org.dailyMax(), "seenAt", org.limitsSeenAt().toString()));
        }
        if (org.pausedUntil() != null) {
            answer.put("heldOffUntil", org.pausedUntil().toString());
            putIf(answer, "heldOffBecause", org.pauseReason());
        }
        CrmSettings.Connector connector = settings.connectors().get(connectorId);
        if (connector != null && connector.salesforce() != null && connector.salesforce().streaming().enabled()) {
            String channel = connector.salesforce().streaming().channel();
            var stream = new LinkedHashMap<String, Object>();
            stream.put("channel", channel);
            stream.put("subscribedHere", streaming.running(connectorId));
            streams.of(connectorId, channel).ifPresent(known -> {
                putIf(stream, "replayId", known.replayId());
                stream.put("events", known.events());
                putIf(stream, "lastEventAt", known.lastEventAt());
                putIf(stream, "subscribedSince", known.subscribedSince());
                putIf(stream, "lastError", known.lastError());
                putIf(stream, "lastErrorAt", known.lastErrorAt());
            });
            answer.put("streaming", stream);
        }
        return answer;
    }

    private static void putIf(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value instanceof List<?> || value instanceof String || value instanceof Number ? value : value.toString());
        }
    }
}
