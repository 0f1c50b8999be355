package io.consenthub.crm.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.consenthub.crm.CrmSettings;
import io.consenthub.crm.CrmWriter;
import io.consenthub.crm.WriteBackValues;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the consents block into Salesforce Contacts, Leads and Person Accounts (by the Id's key
 * prefix: 00Q is a Lead, 001 an Account) with sObject Collections: up to 200 records in one
 * {@code PATCH composite/sobjects} with {@code allOrNone=false}, so each record succeeds or fails
 * on its own and one record's error never holds another back. The object's opt-out field
 * ({@code HasOptedOutOfEmail}; a Person Account's {@code PersonHasOptedOutOfEmail}) is set to true
 * when the hub holds an opt-out and is otherwise left alone: clearing it stays a CRM user's decision, so a write-back can never erase
 * an opt-out made in Salesforce that the hub has not synced yet.
 *
 * <p>An object that maps {@code DoNotCall} gets it set while the hub holds no consent for its
 * phone purpose (unless a Salesforce user set it), and cleared only where the hub raised it
 * ({@link SalesforceDoNotCall}); a note of raising it is taken back unless the record was written. With
 * {@code salesforce.individual} the records' Individuals and ContactPointTypeConsents follow
 * ({@link SalesforceConsentObjects}).
 *
 * <p>Each record's result is classified by {@link SalesforceErrors}: a permanent error (a
 * duplicate or validation rule, a converted Lead, a deleted record, a field the user may not
 * write) is refused once with its code; a whole call the org refuses for its limit or
 * unavailability is postponed until the org takes calls again; anything else is retried.
 */
@Component
class SalesforceCrmWriter implements CrmWriter {

    private static final String LEAD_KEY_PREFIX = "00Q";
    /** Accounts: a Person Account is the only Account the hub syncs (by the object's {@code where}). */
    private static final String ACCOUNT_KEY_PREFIX = "001";
    static final int RECORDS_PER_CALL = 200;

    private final SalesforceClient client;
    private final ObjectMapper json;
    private final SalesforceDoNotCall doNotCall;
    private final SalesforceConsentObjects consentObjects;

    SalesforceCrmWriter(SalesforceClient client, ObjectMapper json, SalesforceDoNotCall doNotCall,
                        SalesforceConsentObjects consentObjects) {
        this.client = client;
        this.json = json;
        this.doNotCall = doNotCall;
        this.consentObjects = consentObjects;
    }

    @Override
    public String kind() {
        return "salesforce";
    }

    @Override
    public int recordsPerCall() {
        return RECORDS_PER_CALL;
    }

    @Override
    public boolean write(String connectorId, CrmSettings.Connector connector, String externalId, WriteBackValues values) {
        RecordResult result = call(connectorId, connector, List.of(new RecordWrite(externalId, values))).get(0);
        return switch (result.outcome()) {
            case WRITTEN -> true;
            case NOT_FOUND -> false;
            default -> throw new SalesforceClient.SalesforceCallException(result.reason(), 0, SalesforceErrors.Kind.RETRY,
                    List.of(), result.retryAt(), null);
        };
    }

    /**
     * Sets the connector's {@code erase.fields} of the record to null, through the same sObject
     * Collections call as write-backs (a JSON null clears a field in the REST API).
     */
    @Override
    public boolean erase(String connectorId, CrmSettings.Connector connector, String externalId) {
        ObjectNode record = json.createObjectNode();
        record.putObject("attributes").put("type", sObjectName(externalId));
        record.put("id", externalId);
        connector.erase().fields().forEach(record::putNull);
        RecordResult result = result(client.updateCollection(connectorId, connector.salesforce(),
                json.createArrayNode().add(record)).path(0));
        return switch (result.outcome()) {
            case WRITTEN -> true;
            case NOT_FOUND -> false;
            default -> throw new SalesforceClient.SalesforceCallException(result.reason(), 0, SalesforceErrors.Kind.RETRY,
                    List.of(), result.retryAt(), null);
        };
    }

    @Override
    public List<RecordResult> writeAll(String connectorId, CrmSettings.Connector connector, List<RecordWrite> records) {
        var results = new ArrayList<RecordResult>(records.size());
        for (int from = 0; from < records.size(); from += RECORDS_PER_CALL) {
            results.addAll(call(connectorId, connector, records.subList(from, Math.min(records.size(), from + RECORDS_PER_CALL))));
        }
        return results;
    }

    private List<RecordResult> call(String connectorId, CrmSettings.Connector connector, List<RecordWrite> records) {
        // Salesforce processes a collection in chunks of one type each (at most ten): Contacts, then Leads.
        var order = new ArrayList<Integer>();
        for (int i = 0; i < records.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparing(i -> sObjectName(records.get(i).externalId())));
        ArrayNode body = json.createArrayNode();
        var flags = new HashMap<String, SalesforceDoNotCall.Flag>();
        for (int i : order) {
            ObjectNode record = record(connector, records.get(i));
            putDoNotCall(connectorId, connector, records.get(i), record, flags);
            body.add(record);
        }
        JsonNode saved;
        try {
            saved = client.updateCollection(connectorId, connector.salesforce(), body);
        } catch (SalesforceClient.SalesforceCallException e) {
            flags.forEach((id, flag) -> doNotCall.notWritten(connectorId, id, flag));
            RecordResult all = switch (e.kind()) {
                case LIMIT, UNAVAILABLE, LOGIN -> new RecordResult(RecordResult.Outcome.POSTPONED, e.getMessage(),
                        e.retryAt() != null ? e.retryAt() : Instant.now().plus(connector.salesforce().limitBackoff()));
                case PERMANENT -> new RecordResult(RecordResult.Outcome.REFUSED, e.getMessage(), null);
                case RETRY -> new RecordResult(RecordResult.Outcome.RETRY, e.getMessage(), null);
            };
            return records.stream().map(r -> all).toList();
        } catch (RuntimeException e) {
            flags.forEach((id, flag) -> doNotCall.notWritten(connectorId, id, flag));
            throw e;
        }
        var results = new RecordResult[records.size()];
        for (int k = 0; k < order.size(); k++) {
            results[order.get(k)] = result(saved.path(k));
            String id = records.get(order.get(k)).externalId();
            SalesforceDoNotCall.Flag flag = flags.get(id);
            if (flag != null && results[order.get(k)].outcome() == RecordResult.Outcome.WRITTEN) {
                doNotCall.written(connectorId, id, flag);
            } else if (flag != null) {
                doNotCall.notWritten(connectorId, id, flag);
            }
        }
        return consentObjects.afterWrite(connectorId, connector, records, List.of(results));
    }

    private ObjectNode record(CrmSettings.Connector connector, RecordWrite write) {
        var fields = new LinkedHashMap<String, Object>();
        String type = sObjectName(write.externalId());
        writeBackFields(connector, type).forEach((field, valueName) -> fields.put(field, write.values().value(valueName)));
        if (write.values().emailOptOut()) {
            fields.put(optOutField(connector, type), true);
        } else if (write.values().clearOptOut()) {
            fields.put(optOutField(connector, type), false);
        }
        ObjectNode record = json.createObjectNode();
        record.putObject("attributes").put("type", sObjectName(write.externalId()));
        record.put("id", write.externalId());
        for (Map.Entry<String, Object> field : fields.entrySet()) {
            record.set(field.getKey(), json.valueToTree(field.getValue()));
        }
        return record;
    }

    /**
     * The object's DoNotCall flag by {@link SalesforceDoNotCall}; notes each record's flag, so the
     * hub's mark follows the record's result (a mark raised for a write that did not happen is
     * taken back: a flag set later is then Salesforce's).
     */
    private void putDoNotCall(String connectorId, CrmSettings.Connector connector, RecordWrite write, ObjectNode record,
                              Map<String, SalesforceDoNotCall.Flag> flags) {
        CrmSettings.SObject mapping = connector.salesforce().objects().get(sObjectName(write.externalId()));
        SalesforceDoNotCall.Flag flag = doNotCall.toWrite(connectorId, mapping, write.externalId(), write.values());
        if (flag.value() != null) {
            record.put(mapping.doNotCallField(), flag.value());
            flags.put(write.externalId(), flag);
        }
    }

    /** One SaveResult: success, or its first error's code (and fields) by {@link SalesforceErrors}. */
    private static RecordResult result(JsonNode saved) {
        if (saved.path("success").asBoolean(false)) {
            return RecordResult.written();
        }
        JsonNode error = saved.path("errors").path(0);
        String code = error.path("statusCode").asText(null);
        var fields = new ArrayList<String>();
        error.path("fields").forEach(field -> fields.add(field.asText()));
        String reason = (code == null ? "no error code" : code) + (fields.isEmpty() ? "" : " " + fields);
        return switch (SalesforceErrors.of(0, code)) {
            case PERMANENT -> new RecordResult(SalesforceErrors.recordGone(code) ? RecordResult.Outcome.NOT_FOUND
                    : RecordResult.Outcome.REFUSED, reason, null);
            default -> new RecordResult(RecordResult.Outcome.RETRY, reason, null);
        };
    }

    private static String sObjectName(String externalId) {
        if (externalId.startsWith(ACCOUNT_KEY_PREFIX)) {
            return "Account";
        }
        return externalId.startsWith(LEAD_KEY_PREFIX) ? "Lead" : "Contact";
    }

    /** The object's own write-back fields (a Person Account's {@code __pc} fields), else the connector's. */
    static Map<String, String> writeBackFields(CrmSettings.Connector connector, String objectName) {
        CrmSettings.SObject mapping = connector.salesforce().objects().get(objectName);
        return mapping != null && !mapping.writeBackFields().isEmpty() ? mapping.writeBackFields() : connector.writeBack().fields();
    }

    /** The checkbox that is the object's email opt-out ({@code PersonHasOptedOutOfEmail} on a Person Account). */
    static String optOutField(CrmSettings.Connector connector, String objectName) {
        CrmSettings.SObject mapping = connector.salesforce().objects().get(objectName);
        return mapping == null ? CrmSettings.SObject.DEFAULT_OPT_OUT_FIELD : mapping.optOutField();
    }
}
