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
     * re-read at the watermark is not rejected again until the CRM changes it. A record keeps one
     * open reject per reason: returns false when this one was open already (seen again), so the
     * caller logs it only once.
     */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public boolean reject(String connectorId, String externalId, CrmRow row, String reason) {
        boolean opened = store.reject(connectorId, externalId, row == null ? null : row.rowHash(), reason, clock.instant());
        if (row != null) {
            store.saveRecord(row, clock.instant());
        }
        return opened;
    }

    /**
     * Records a field refused from a row whose rest is applied: kept open while the CRM sends that
     * version of the row, closed once it sends another that applies. Returns whether it is new.
     */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public boolean refuseField(CrmRow row, String reason) {
        return store.reject(row.connectorId(), row.externalId(), row.rowHash(), reason, clock.instant());
    }

    /** A poll that completed: its progress, and the connector's poll health back to SUCCESS. */
    @Transactional
    public void progress(String connectorId, LocalDateTime watermark, long seen, long applied, long rejected) {
        store.saveProgress(connectorId, watermark, seen, applied, rejected, clock.instant());
        store.pollSucceeded(connectorId, clock.instant());
    }

    /** A poll's progress so far (its watermark after a batch and the rows since the last checkpoint); the poll goes on. */
    @Transactional
    public void checkpoint(String connectorId, LocalDateTime watermark, long seen, long applied, long rejected) {
        store.saveProgress(connectorId, watermark, seen, applied, rejected, clock.instant());
    }

    /**
     * A poll that completed only in part (a Salesforce object the org refused while the others
     * synced): its progress is kept, and the poll counts as failed with {@code error}.
     */
    @Transactional
    public void partialProgress(String connectorId, LocalDateTime watermark, long seen, long applied, long rejected, String error) {
        store.saveProgress(connectorId, watermark, seen, applied, rejected, clock.instant());
        store.pollFailed(connectorId, error, clock.instant());
    }

    /** A poll that failed as a whole; {@code error} as {@link FailureText} describes it. */
    @Transactional
    public void pollFailed(String connectorId, String error) {
        store.pollFailed(connectorId, error, clock.instant());
    }

    @Transactional(readOnly = true)
    public Optional<PollHealth> pollHealth(String connectorId) {
        return store.pollHealth(connectorId);
    }

    @Transactional(readOnly = true)
    public List<PollHealth> pollHealth() {
        return store.pollHealth();
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

    /** Every reject, open or closed, newest first. */
    @Transactional(readOnly = true)
    public List<Map<String, Object>> rejects(String connectorId, int limit) {
        return rejects(connectorId, "all", null, limit);
    }

    /**
     * The reject list, newest first: {@code state} is open, closed or all; {@code before} pages on
     * from the last id of the previous page (null: the newest).
     */
    @Transactional(readOnly = true)
    public List<Map<String, Object>> rejects(String connectorId, String state, Long before, int limit) {
        return store.rejects(connectorId, state, before, limit);
    }
}
