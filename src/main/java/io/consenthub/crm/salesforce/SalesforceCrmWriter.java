package io.consenthub.crm.salesforce;

import io.consenthub.crm.CrmSettings;
import io.consenthub.crm.CrmWriter;
import io.consenthub.crm.WriteBackValues;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;

/**
 * Writes the consents block into a Salesforce Contact or Lead (by its Id's key prefix: 00Q is a
 * Lead) with one PATCH of the configured fields. {@code HasOptedOutOfEmail} is set to true when
 * the hub holds an opt-out and is otherwise left alone: clearing it stays a CRM user's decision,
 * so a write-back can never erase an opt-out made in Salesforce that the hub has not synced yet.
 * A failed PATCH (e.g. a field validation error) throws, so only that record's write-back is retried.
 */
@Component
class SalesforceCrmWriter implements CrmWriter {

    private static final String LEAD_KEY_PREFIX = "00Q";

    private final SalesforceClient client;

    SalesforceCrmWriter(SalesforceClient client) {
        this.client = client;
    }

    @Override
    public String kind() {
        return "salesforce";
    }

    @Override
    public boolean write(String connectorId, CrmSettings.Connector connector, String externalId, WriteBackValues values) {
        var fields = new LinkedHashMap<String, Object>();
        connector.writeBack().fields().forEach((field, valueName) -> fields.put(field, values.value(valueName)));
        if (values.emailOptOut()) {
            fields.put("HasOptedOutOfEmail", true);
        } else if (values.clearOptOut()) {
            fields.put("HasOptedOutOfEmail", false);
        }
        String sObjectName = externalId.startsWith(LEAD_KEY_PREFIX) ? "Lead" : "Contact";
        return client.update(connectorId, connector.salesforce(), sObjectName, externalId, fields);
    }
}
