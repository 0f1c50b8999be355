package io.consenthub.crm.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.consenthub.crm.CrmSettings;
import io.consenthub.crm.FailureText;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.salesforce.AuthenticationType;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.component.salesforce.SalesforceEndpointConfig;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;

/**
 * The camel-salesforce calls the connector makes, one Salesforce component per connector
 * ({@code sf-<connectorId>}), created on first use. camel-salesforce does the OAuth login
 * (client credentials or username/password) and, on a 401 from an expired session, logs in again
 * and repeats the request. Payloads are raw JSON, so no generated DTOs are needed.
 */
@Component
class SalesforceClient {

    private final CamelContext camel;
    private final ProducerTemplate producer;
    private final ObjectMapper json;

    SalesforceClient(CamelContext camel, ObjectMapper json) {
        this.camel = camel;
        this.producer = camel.createProducerTemplate();
        this.json = json;
    }

    /** A SOQL query including deleted records (queryAll); one page. */
    JsonNode queryAll(String connectorId, CrmSettings.Salesforce org, String soql) {
        return read(call(connectorId, org, "queryAll", null, Map.of("sObjectQuery", soql)));
    }

    /** The next page of a query, by the {@code nextRecordsUrl} of the page before. */
    JsonNode queryMore(String connectorId, CrmSettings.Salesforce org, String nextRecordsUrl) {
        return read(call(connectorId, org, "queryMore", null, Map.of("sObjectQuery", nextRecordsUrl)));
    }

    /** PATCHes fields of one record; false when Salesforce has no such record (404). */
    boolean update(String connectorId, CrmSettings.Salesforce org, String sObjectName, String id, Map<String, Object> fields) {
        try {
            call(connectorId, org, "updateSObject", json.writeValueAsString(fields),
                    Map.of("sObjectName", sObjectName, "sObjectId", id));
            return true;
        } catch (SalesforceCallException e) {
            if (e.status() == 404) {
                return false;
            }
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Object call(String connectorId, CrmSettings.Salesforce org, String operation, Object body, Map<String, Object> headers) {
        String component = component(connectorId, org);
        try {
            return producer.requestBodyAndHeaders(component + ":" + operation + "?rawPayload=true", body, headers);
        } catch (CamelExecutionException e) {
            if (e.getCause() instanceof SalesforceException sf) {
                // Error codes and field names only: Salesforce's messages may quote the record's values.
                String errors = sf.getErrors() == null || sf.getErrors().isEmpty() ? "no error code"
                        : sf.getErrors().stream().map(error -> error.getErrorCode()
                                + (error.getFields() == null || error.getFields().isEmpty() ? "" : " " + error.getFields()))
                        .collect(java.util.stream.Collectors.joining(", "));
                throw new SalesforceCallException(operation + " failed with HTTP " + sf.getStatusCode() + ": " + errors,
                        sf.getStatusCode(), sf);
            }
            throw e;
        }
    }

    private JsonNode read(Object body) {
        try {
            if (body instanceof InputStream stream) {
                try (stream) {
                    return json.readTree(stream);
                }
            }
            return json.readTree(body.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Salesforce answered with something that is not JSON", e);
        }
    }

    private synchronized String component(String connectorId, CrmSettings.Salesforce org) {
        String name = "sf-" + connectorId;
        if (camel.hasComponent(name) == null) {
            var component = new SalesforceComponent();
            component.setLoginUrl(org.loginUrl());
            if (org.instanceUrl() != null && !org.instanceUrl().isBlank()) {
                component.setInstanceUrl(org.instanceUrl());
            }
            component.setAuthenticationType(AuthenticationType.valueOf(org.authenticationType().toUpperCase(Locale.ROOT)));
            component.setClientId(org.clientId());
            component.setClientSecret(org.clientSecret());
            if (org.username() != null && !org.username().isBlank()) {
                component.setUserName(org.username());
                component.setPassword(org.password());
            }
            component.setLazyLogin(true);
            var config = new SalesforceEndpointConfig();
            config.setApiVersion(org.apiVersion());
            config.setRawPayload(true);
            component.setConfig(config);
            camel.addComponent(name, component);
        }
        return name;
    }

    /** A Salesforce call that failed, with its HTTP status; its message names error codes and fields, never values. */
    static final class SalesforceCallException extends RuntimeException implements FailureText.ValueFree {

        private final int status;

        SalesforceCallException(String message, int status, Throwable cause) {
            super(message, cause);
            this.status = status;
        }

        int status() {
            return status;
        }
    }
}
