package io.consenthub.crm;

import java.time.Instant;
import java.util.List;

/**
 * Writes a contact's consents block into one record of one kind of CRM. Implemented per kind
 * (jdbc, salesforce) beside the connector that reads that kind, so {@link CrmWriteBack} needs to
 * know no CRM's protocol. A CRM that takes many records per call (Salesforce's sObject
 * Collections) says so with {@link #recordsPerCall()} and implements {@link #writeAll}.
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

    /** How many records one {@link #writeAll} call carries at most; 1 (the default): one {@link #write} per record. */
    default int recordsPerCall() {
        return 1;
    }

    /**
     * Writes many records in one call, each succeeding or failing on its own: one result per
     * record, in order. Never throws for one record's fault.
     */
    default List<RecordResult> writeAll(String connectorId, CrmSettings.Connector connector, List<RecordWrite> records) {
        throw new UnsupportedOperationException(kind() + " CRMs are written one record at a time");
    }

    /**
     * Erases one record's personal data in the CRM as the connector's {@code erase} config says
     * (README "Erasure"), or throws when the CRM failed (the erasure job retries it). Every kind
     * the hub writes to says how it erases; a kind with no writer (push) is never asked.
     *
     * @return false when the CRM has no such record (nothing left to erase there)
     */
    boolean erase(String connectorId, CrmSettings.Connector connector, String externalId);

    /** One record's values for {@link #writeAll}. */
    record RecordWrite(String externalId, WriteBackValues values) {
    }

    /**
     * What became of one record of {@link #writeAll}: written; not found (final); refused by the
     * CRM for good (a rule, a converted record: final, {@code reason} names the CRM's error code);
     * to retry with backoff; postponed until {@code retryAt} (the CRM refuses every call for now,
     * the attempt is not counted); or written with a follow-up owed: the record's own fields are
     * written (so an opt-out flag the hub raised stays noted as the hub's), but something the
     * write-back also writes beside it (Salesforce's consent objects) was not, and the message is
     * retried with backoff. Reasons name codes and fields, never values.
     */
    record RecordResult(Outcome outcome, String reason, Instant retryAt) {

        public enum Outcome {
            WRITTEN,
            NOT_FOUND,
            REFUSED,
            RETRY,
            POSTPONED,
            WRITTEN_FOLLOW_UP_OWED
        }

        public static RecordResult written() {
            return new RecordResult(Outcome.WRITTEN, null, null);
        }

        /** Whether the record's own fields reached the CRM. */
        public boolean fieldsWritten() {
            return outcome == Outcome.WRITTEN || outcome == Outcome.WRITTEN_FOLLOW_UP_OWED;
        }
    }
}
