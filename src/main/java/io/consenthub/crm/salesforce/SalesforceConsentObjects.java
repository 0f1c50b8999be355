package io.consenthub.crm.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.consenthub.crm.CrmSettings;
import io.consenthub.crm.CrmWriter.RecordResult;
import io.consenthub.crm.CrmWriter.RecordWrite;
import io.consenthub.crm.WriteBackValues;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Salesforce's own consent model, written after a write-back's records
 * ({@link CrmSettings.Individual}): each written record's {@code Individual} gets the hub's
 * processing, erasure and tracking refusals (set, never cleared), and per configured purpose a
 * {@code ContactPointTypeConsent} for Email ({@code OptIn}/{@code OptOut}) on that Individual,
 * created when missing and updated only when the hub's answer differs. Records without an
 * Individual get nothing more. A failure here leaves the records' own write standing (an opt-out
 * flag the hub raised stays noted as the hub's) and owes the consent objects: the message is
 * retried with backoff, writing the fields again, which changes nothing. A refusal no retry
 * changes (Individual not enabled in the org, no access to it) is logged with its code and not
 * retried. Costs: one query per object type and one for the existing consents, then one update and
 * at most one create call per 200 records.
 */
@Component
class SalesforceConsentObjects {

    private static final Logger log = LoggerFactory.getLogger(SalesforceConsentObjects.class);

    /** The lookup to the person's Individual on each object the hub writes back to. */
    private static final Map<String, String> INDIVIDUAL_FIELD = Map.of("Contact", "IndividualId", "Lead", "IndividualId",
            "Account", "PersonIndividualId");
    private static final Map<String, String> KEY_PREFIXES = Map.of("003", "Contact", "00Q", "Lead", "001", "Account");
    private static final Pattern RECORD_ID = Pattern.compile("[A-Za-z0-9]{15}([A-Za-z0-9]{3})?");
    private static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");
    private static final int PER_CALL = 200;

    private final SalesforceClient client;
    private final ObjectMapper json;
    private final Clock clock;

    SalesforceConsentObjects(SalesforceClient client, ObjectMapper json, Clock clock) {
        this.client = client;
        this.json = json;
        this.clock = clock;
    }

    /** The records' results after their Individuals and consents are written (unchanged when not configured). */
    List<RecordResult> afterWrite(String connectorId, CrmSettings.Connector connector, List<RecordWrite> records,
                                  List<RecordResult> results) {
        CrmSettings.Individual individual = connector.salesforce().individual();
        if (individual == null || !individual.enabled()) {
            return results;
        }
        var byType = new LinkedHashMap<String, List<Integer>>();
        for (int i = 0; i < records.size(); i++) {
            String id = records.get(i).externalId();
            String type = id.length() < 3 ? null : KEY_PREFIXES.get(id.substring(0, 3));
            if (results.get(i).outcome() == RecordResult.Outcome.WRITTEN && type != null && RECORD_ID.matcher(id).matches()) {
                byType.computeIfAbsent(type, t -> new ArrayList<>()).add(i);
            }
        }
        if (byType.isEmpty()) {
            return results;
        }
        var answer = new ArrayList<>(results);
        var involved = new ArrayList<Integer>();
        byType.values().forEach(involved::addAll);
        try {
            Map<String, List<Integer>> recordsOf = individuals(connectorId, connector.salesforce(), records, byType);
            var failed = new LinkedHashMap<String, String>();
            var updates = new ArrayList<ObjectNode>();
            var creates = new ArrayList<ObjectNode>();
            var partyOf = new IdentityHashMap<ObjectNode, String>();
            recordsOf.forEach((individualId, indexes) -> {
                ObjectNode update = individualUpdate(individualId, individual, indexes.stream().map(i -> records.get(i).values()).toList());
                if (update != null) {
                    updates.add(update);
                    partyOf.put(update, individualId);
                }
            });
            if (!individual.dataUsePurposes().isEmpty()) {
                consents(connectorId, connector.salesforce(), individual, records, recordsOf, updates, creates, partyOf);
            }
            send(connectorId, connector.salesforce(), updates, false, partyOf, failed);
            send(connectorId, connector.salesforce(), creates, true, partyOf, failed);
            failed.forEach((individualId, reason) -> recordsOf.getOrDefault(individualId, List.of()).forEach(i ->
                    answer.set(i, new RecordResult(RecordResult.Outcome.WRITTEN_FOLLOW_UP_OWED,
                            records.get(i).externalId() + ": " + reason, null))));
        } catch (SalesforceClient.SalesforceCallException e) {
            if (e.kind() == SalesforceErrors.Kind.PERMANENT) {
                // No retry changes it (Individual not enabled, no access to it): the records' own
                // write stands, and the refusal is named once per write-back in the log.
                log.warn("Salesforce {}: its consent objects were refused: {}", connectorId, e.getMessage());
                return results;
            }
            // The records' own fields are written: only the consent objects are owed, with backoff.
            RecordResult owed = new RecordResult(RecordResult.Outcome.WRITTEN_FOLLOW_UP_OWED,
                    "Salesforce consent objects: " + e.getMessage(), null);
            involved.forEach(i -> answer.set(i, owed));
        }
        return answer;
    }

    /** Individual Id → the indexes of the records that belong to it (a Contact and a Lead may share one). */
    private Map<String, List<Integer>> individuals(String connectorId, CrmSettings.Salesforce org, List<RecordWrite> records,
                                                   Map<String, List<Integer>> byType) {
        var recordsOf = new LinkedHashMap<String, List<Integer>>();
        byType.forEach((type, indexes) -> {
            var indexOf = new HashMap<String, Integer>();
            indexes.forEach(i -> indexOf.put(records.get(i).externalId(), i));
            String field = INDIVIDUAL_FIELD.get(type);
            String soql = "SELECT Id, " + field + " FROM " + type + " WHERE Id IN ('" + String.join("', '", indexOf.keySet()) + "')";
            for (JsonNode record : all(connectorId, org, soql)) {
                String individualId = record.path(field).asText(null);
                Integer index = indexOf.get(record.path("Id").asText());
                if (individualId != null && index != null && RECORD_ID.matcher(individualId).matches()) {
                    recordsOf.computeIfAbsent(individualId, id -> new ArrayList<>()).add(index);
                }
            }
        });
        return recordsOf;
    }

    /**
     * The refusals the hub holds, as the Individual's flags; null when there is none to set. An
     * Individual several records share (a Contact and a Lead of one person, two hub contacts when
     * their emails differ) gets a flag when any of them holds the refusal: the least permissive.
     */
    private ObjectNode individualUpdate(String individualId, CrmSettings.Individual individual, List<WriteBackValues> all) {
        ObjectNode update = json.createObjectNode();
        update.putObject("attributes").put("type", "Individual");
        update.put("id", individualId);
        if (all.stream().anyMatch(values -> Boolean.TRUE.equals(values.value("stopProcessing")))) {
            update.put("HasOptedOutProcessing", true);
        }
        if (all.stream().anyMatch(values -> Boolean.TRUE.equals(values.value("erasureRequested")))) {
            update.put("ShouldForget", true);
        }
        if (individual.trackingPurpose() != null && !all.stream()
                .allMatch(values -> Boolean.TRUE.equals(values.value("consent." + individual.trackingPurpose())))) {
            update.put("HasOptedOutTracking", true);
        }
        return update.size() > 2 ? update : null;
    }

    /** Per Individual and configured purpose: a consent to create, or to update where the answer differs. */
    private void consents(String connectorId, CrmSettings.Salesforce org, CrmSettings.Individual individual,
                          List<RecordWrite> records, Map<String, List<Integer>> recordsOf, List<ObjectNode> updates,
                          List<ObjectNode> creates, Map<ObjectNode, String> partyOf) {
        var existing = new HashMap<String, JsonNode>();
        String soql = "SELECT Id, PartyId, DataUsePurposeId, PrivacyConsentStatus FROM ContactPointTypeConsent"
                + " WHERE (ContactPointType = 'Email' AND IsDeleted = false) AND PartyId IN ('" + String.join("', '", recordsOf.keySet()) + "')";
        for (JsonNode consent : all(connectorId, org, soql)) {
            existing.put(consent.path("PartyId").asText() + "/" + consent.path("DataUsePurposeId").asText(), consent);
        }
        String now = DATETIME.format(clock.instant().atOffset(ZoneOffset.UTC));
        recordsOf.forEach((individualId, indexes) -> individual.dataUsePurposes().forEach((purpose, dataUsePurposeId) -> {
            // OptIn only when every record of the Individual grants it: the least permissive answer.
            boolean granted = indexes.stream().allMatch(i -> Boolean.TRUE.equals(records.get(i).values().value("consent." + purpose)));
            String status = granted ? "OptIn" : "OptOut";
            JsonNode known = existing.get(individualId + "/" + dataUsePurposeId);
            if (known != null && status.equals(known.path("PrivacyConsentStatus").asText())) {
                return;
            }
            ObjectNode consent = json.createObjectNode();
            consent.putObject("attributes").put("type", "ContactPointTypeConsent");
            partyOf.put(consent, individualId);
            if (known != null) {
                consent.put("id", known.path("Id").asText());
                consent.put("PrivacyConsentStatus", status);
                consent.put("EffectiveFrom", now);
                updates.add(consent);
            } else {
                consent.put("Name", "Email: " + purpose);
                consent.put("PartyId", individualId);
                consent.put("DataUsePurposeId", dataUsePurposeId);
                consent.put("ContactPointType", "Email");
                consent.put("PrivacyConsentStatus", status);
                consent.put("EffectiveFrom", now);
                creates.add(consent);
            }
        }));
    }

    /** Sends the records 200 a call; a record Salesforce refuses is noted against its Individual. */
    private void send(String connectorId, CrmSettings.Salesforce org, List<ObjectNode> nodes, boolean create,
                      Map<ObjectNode, String> partyOf, Map<String, String> failed) {
        for (int from = 0; from < nodes.size(); from += PER_CALL) {
            List<ObjectNode> chunk = nodes.subList(from, Math.min(nodes.size(), from + PER_CALL));
            ArrayNode body = json.createArrayNode();
            chunk.forEach(body::add);
            JsonNode saved = create ? client.createCollection(connectorId, org, body) : client.updateCollection(connectorId, org, body);
            for (int k = 0; k < chunk.size(); k++) {
                JsonNode result = saved.path(k);
                if (!result.path("success").asBoolean(false)) {
                    ObjectNode node = chunk.get(k);
                    String type = node.path("attributes").path("type").asText();
                    JsonNode error = result.path("errors").path(0);
                    String code = error.path("statusCode").asText("no error code");
                    String reason = type + " " + code + (error.path("fields").isEmpty() ? "" : " " + error.path("fields"));
                    if (SalesforceErrors.of(0, code) == SalesforceErrors.Kind.PERMANENT) {
                        log.warn("Salesforce {}: {} of Individual {} refused for good: {}", connectorId, type,
                                partyOf.get(node), reason);
                    } else {
                        failed.put(partyOf.get(node), reason);
                    }
                }
            }
        }
    }

    /** Every record of a query, page by page. */
    private List<JsonNode> all(String connectorId, CrmSettings.Salesforce org, String soql) {
        var found = new ArrayList<JsonNode>();
        JsonNode page = client.queryAll(connectorId, org, soql);
        while (true) {
            page.path("records").forEach(found::add);
            String next = page.path("nextRecordsUrl").asText(null);
            if (page.path("done").asBoolean(true) || next == null) {
                return found;
            }
            page = client.queryMore(connectorId, org, next);
        }
    }
}
