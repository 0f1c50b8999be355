package io.consenthub.crm.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import io.consenthub.crm.CrmSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Before an object is first polled after start-up, its {@code describe} as the integration user
 * sees it: every field the sync reads must be listed (field-level security hides the others, and
 * a query naming one fails with {@code INVALID_FIELD}), every field the write-back sets must be
 * {@code updateable}. What is wrong is logged once by field name and shown in the connector's
 * status, so an admin knows which permission to grant before the first refused query or write.
 * One describe call per object and start; a describe that fails is tried again at the next poll.
 */
@Component
class SalesforcePreflight {

    private static final Logger log = LoggerFactory.getLogger(SalesforcePreflight.class);

    private final SalesforceClient client;
    private final Map<String, Map<String, List<String>>> problems = new ConcurrentHashMap<>();

    SalesforcePreflight(SalesforceClient client) {
        this.client = client;
    }

    /** Describes the object unless done since start-up; a failing describe throws (the object's poll fails). */
    void checkOnce(String connectorId, CrmSettings.Connector connector, String objectName, Collection<String> readFields) {
        Map<String, List<String>> byObject = problems.computeIfAbsent(connectorId, id -> new ConcurrentHashMap<>());
        if (byObject.containsKey(objectName)) {
            return;
        }
        JsonNode describe = client.describe(connectorId, connector.salesforce(), objectName);
        var fields = new HashMap<String, JsonNode>();
        describe.path("fields").forEach(field -> fields.put(field.path("name").asText(), field));
        var found = new ArrayList<String>();
        for (String field : readFields) {
            if (!fields.containsKey(field)) {
                found.add("field " + field + " of " + objectName + " is not readable by the integration user (or does not exist)");
            }
        }
        if (connector.writesBack()) {
            var written = new ArrayList<>(SalesforceCrmWriter.writeBackFields(connector, objectName).keySet());
            written.add(SalesforceCrmWriter.optOutField(connector, objectName));
            CrmSettings.SObject mapping = connector.salesforce().objects().get(objectName);
            if (mapping != null && mapping.mapsDoNotCall()) {
                written.add(mapping.doNotCallField());
            }
            for (String field : written) {
                JsonNode described = fields.get(field);
                if (described == null || !described.path("updateable").asBoolean(false)) {
                    found.add("field " + field + " of " + objectName + " cannot be written by the integration user"
                            + (described == null ? " (not visible or does not exist)" : " (not updateable)"));
                }
            }
        }
        byObject.put(objectName, List.copyOf(found));
        found.forEach(problem -> log.warn("Salesforce {} preflight: {}", connectorId, problem));
    }

    /** What the preflight found per object since start-up (objects not yet described are absent). */
    Map<String, List<String>> problems(String connectorId) {
        return Map.copyOf(problems.getOrDefault(connectorId, Map.of()));
    }
}
