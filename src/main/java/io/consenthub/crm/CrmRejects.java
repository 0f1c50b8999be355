package io.consenthub.crm;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * How every poller sets a bad row aside: logged by record id with control characters stripped
 * (a CRM value can neither forge a log line nor put personal data in it: reasons name rules and
 * fields), and recorded in the reject list. A reject that cannot even be recorded (a record id the
 * store refuses, say) is logged without values and skipped, so no row can stop a poll.
 */
@Component
public class CrmRejects {

    private static final Logger log = LoggerFactory.getLogger(CrmRejects.class);

    private final CrmSyncLog syncLog;
    private final io.consenthub.contact.ContactDirectory contacts;

    CrmRejects(CrmSyncLog syncLog, io.consenthub.contact.ContactDirectory contacts) {
        this.syncLog = syncLog;
        this.contacts = contacts;
    }

    /** An erased person's record (its fields erased in the CRM, say) is not kept even as a reject: its id would be theirs. */
    private boolean suppressed(String connectorId, String externalId) {
        if (externalId == null || contacts.suppressedRecords(connectorId, java.util.List.of(externalId)).isEmpty()) {
            return false;
        }
        log.debug("CRM {}: a record of an erased person was not synced (suppressed)", connectorId);
        return true;
    }

    /** A row set aside; logged only when it opens a reject (a re-read bad row is not logged again). */
    public void reject(String connectorId, String externalId, CrmRow row, String reason) {
        String safeId = LogText.clean(externalId);
        try {
            if (suppressed(connectorId, externalId)) {
                return;
            }
            if (syncLog.reject(connectorId, externalId, row, reason)) {
                log.warn("CRM {} record {} rejected: {}", connectorId, safeId, LogText.clean(reason));
            }
        } catch (DataAccessException e) {
            log.warn("CRM {} record {} rejected: {}; the reject could not be recorded ({}), the row is skipped", connectorId,
                    safeId, LogText.clean(reason), e.getClass().getSimpleName());
        }
    }

    /** A field refused from a row whose rest is applied; logged once per open reject, as {@link #reject}. */
    public void refuseField(String connectorId, CrmRow row, String reason) {
        try {
            if (suppressed(connectorId, row.externalId())) {
                return;
            }
            if (syncLog.refuseField(row, reason)) {
                log.warn("CRM {} record {} rejected: {}", connectorId, LogText.clean(row.externalId()), LogText.clean(reason));
            }
        } catch (DataAccessException e) {
            log.warn("CRM {} record {}: a refused field could not be recorded ({})", connectorId,
                    LogText.clean(row.externalId()), e.getClass().getSimpleName());
        }
    }
}
