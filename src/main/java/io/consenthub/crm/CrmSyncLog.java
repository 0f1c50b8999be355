package io.consenthub.crm;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A connector's progress and its reject list. Rejects are written in their own transaction so a
 * refused row is recorded even though the row's own transaction rolled back.
 */
@Service
public class CrmSyncLog {

    private final CrmRecordStore store;
    private final Clock clock;

    CrmSyncLog(CrmRecordStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * Records a refused row. When the row could be read, its hash is kept too, so the same bad row
     * re-read at the watermark is not rejected again until the CRM changes it.
     */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void reject(String connectorId, String externalId, CrmRow row, String reason) {
        store.reject(connectorId, externalId, reason, clock.instant());
        if (row != null) {
            store.saveRecord(row, clock.instant());
        }
    }

    @Transactional
    public void progress(String connectorId, LocalDateTime watermark, long seen, long applied, long rejected) {
        store.saveProgress(connectorId, watermark, seen, applied, rejected, clock.instant());
    }

    /** Where a connector's opt-out query resumes (its own watermark, beside the records' one). */
    @Transactional(readOnly = true)
    public Optional<LocalDateTime> optOutWatermark(String connectorId) {
        return store.optOutWatermark(connectorId);
    }

    @Transactional
    public void optOutProgress(String connectorId, LocalDateTime watermark) {
        store.saveOptOutWatermark(connectorId, watermark);
    }

    @Transactional(readOnly = true)
    public Optional<CrmStatus> status(String connectorId) {
        return store.status(connectorId);
    }

    /** Conflicts between CRMs and refused changes (locks), newest first; field names, never values. */
    @Transactional(readOnly = true)
    public List<Map<String, Object>> conflicts(String connectorId, int limit) {
        return store.conflicts(connectorId, limit);
    }

    @Transactional(readOnly = true)
    public List<Map<String, Object>> rejects(String connectorId, int limit) {
        return store.rejects(connectorId, limit);
    }
}
