package io.consenthub.crm;

/**
 * Writes a contact's consents block into one record of one kind of CRM. Implemented per kind
 * (jdbc, salesforce) beside the connector that reads that kind, so {@link CrmWriteBack} needs to
 * know no CRM's protocol.
 */
public interface CrmWriter {

    /** The connector kind this writer serves, as in {@code config/crm/*.yaml}. */
    String kind();

    /**
     * Writes the values into the record, or throws when the CRM failed (the write is retried).
     *
     * @return false when the CRM says it has no such record (JDBC: only by the connector's
     *         {@code exists-query}; an update of no row is not "not found"), which no retry will change
     */
    boolean write(String connectorId, CrmSettings.Connector connector, String externalId, WriteBackValues values);
}
