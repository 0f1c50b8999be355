package io.consenthub.contact;

import io.consenthub.shared.InvalidInputException;

import java.util.regex.Pattern;

/** Where a contact lives in one CRM: the connector's id and that CRM's own record id. */
public record CrmLink(String connectorId, String externalId) {

    private static final Pattern CONNECTOR_ID = Pattern.compile("[a-z][a-z0-9-]{0,63}");

    public CrmLink {
        if (connectorId == null || !CONNECTOR_ID.matcher(connectorId).matches()) {
            throw new InvalidInputException("crm link connectorId '" + connectorId
                    + "' must be lower-case letters, digits and '-', starting with a letter, at most 64 characters");
        }
        if (externalId == null || externalId.isBlank() || externalId.length() > 255) {
            throw new InvalidInputException("crm link externalId must be 1 to 255 characters");
        }
    }
}
