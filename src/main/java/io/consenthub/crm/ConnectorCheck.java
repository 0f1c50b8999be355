package io.consenthub.crm;

import java.util.List;

/**
 * What one kind of connector checks in its own configuration at start-up, beyond the keys and
 * names {@link CrmConfigCheck} checks for every kind. Each problem is added as one line naming the
 * key; the hub then refuses to start and lists them all.
 */
public interface ConnectorCheck {

    /** The connector kind this check is for ({@code jdbc}, {@code salesforce}). */
    String kind();

    void check(String connectorId, CrmSettings.Connector connector, List<String> problems);
}
