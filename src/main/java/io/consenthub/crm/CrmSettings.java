package io.consenthub.crm;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The CRM connectors declared under {@code consent-hub.crm.connectors} (one file per CRM in
 * {@code config/crm/}). A JDBC connector is nothing but config: a query, a column mapping and an
 * attribute mapping, so any JDBC CRM can be connected without Java.
 */
@ConfigurationProperties("consent-hub.crm")
public record CrmSettings(Map<String, Connector> connectors) {

    public CrmSettings {
        connectors = connectors == null ? Map.of() : new LinkedHashMap<>(connectors);
    }

    /** One CRM instance. */
    public record Connector(String kind, boolean enabled, Duration pollPeriod, Jdbc jdbc, String query,
                            Columns columns, Map<String, String> attributes) {

        public Connector {
            attributes = attributes == null ? Map.of() : new LinkedHashMap<>(attributes);
            pollPeriod = pollPeriod == null ? Duration.ofSeconds(30) : pollPeriod;
        }
    }

    /** How to reach a JDBC CRM; {@code initScript} is for demo and test CRMs only. */
    public record Jdbc(String url, String username, String password, String initScript) {
    }

    /** Which query columns carry the record id, modification time, email, soft delete and email opt-out. */
    public record Columns(String externalId, String modified, String email, String deleted, String emailOptOut) {
    }
}
