package io.consenthub.crm.jdbc;

import io.consenthub.crm.CrmContactSync;
import io.consenthub.crm.CrmMetrics;
import io.consenthub.crm.CrmRow;
import io.consenthub.crm.CrmSettings;
import io.consenthub.crm.CrmStatus;
import io.consenthub.crm.LogText;
import io.consenthub.crm.CrmSyncLog;
import io.consenthub.crm.SyncOutcome;
import io.consenthub.shared.ConflictException;
import io.consenthub.shared.InvalidInputException;
import io.consenthub.shared.NotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The generic JDBC connector, driven only by config: runs the connector's query for rows changed
 * at or after the stored watermark, maps each row and hands them to {@link CrmContactSync} in
 * batches of 2 000 rows (one transaction each, so a large initial sync does not pay one
 * commit per row), and refreshes the store's planner statistics as a large sync grows the tables. A bad row is rejected on its own, with its reason, and never stops the poll.
 * Called by the routes in {@code routes/crm/}.
 */
@Component("jdbcCrmSync")
public class JdbcCrmSync {

    private static final Logger log = LoggerFactory.getLogger(JdbcCrmSync.class);
    static final LocalDateTime BEGINNING = LocalDateTime.of(1970, 1, 1, 0, 0);
    private static final int PROGRESS_EVERY = 10_000;
    private static final int BATCH = 2000;
    /** Rows applied in one poll before the planner statistics are first refreshed; then at 4×, 16×, ... */
    private static final long FIRST_STATISTICS_REFRESH = 5_000;

    /** What one poll did. */
    public record PollResult(String connectorId, long seen, long applied, long rejected, LocalDateTime watermark) {
    }

    private final CrmSettings settings;
    private final CrmContactSync sync;
    private final CrmSyncLog syncLog;
    private final CrmDataSources dataSources;
    private final CrmMetrics metrics;

    JdbcCrmSync(CrmSettings settings, CrmContactSync sync, CrmSyncLog syncLog, CrmDataSources dataSources,
                CrmMetrics metrics) {
        this.settings = settings;
        this.sync = sync;
        this.syncLog = syncLog;
        this.dataSources = dataSources;
        this.metrics = metrics;
    }

    public PollResult poll(String connectorId) {
        CrmSettings.Connector connector = connector(connectorId);
        LocalDateTime since = syncLog.status(connectorId).map(CrmStatus::watermark).orElse(BEGINNING);
        var mapper = new JdbcRowMapper(connectorId, connector.columns(), connector.attributes());
        var counts = new Object() {
            long seen;
            long applied;
            long rejected;
            LocalDateTime watermark = since;
            long nextStatisticsRefresh = FIRST_STATISTICS_REFRESH;
        };
        var batch = new ArrayList<CrmRow>(BATCH);
        Runnable applyBatch = () -> {
            long[] done = apply(connectorId, batch);
            counts.applied += done[0];
            counts.rejected += done[1];
            if (counts.applied >= counts.nextStatisticsRefresh) {
                refreshStatistics(connectorId);
                counts.nextStatisticsRefresh *= 4;
            }
        };
        new NamedParameterJdbcTemplate(dataSources.get(connectorId, connector))
                .query(connector.query(), Map.of("since", java.sql.Timestamp.valueOf(since)), (RowCallbackHandler) rs -> {
                    counts.seen++;
                    CrmRow row = null;
                    try {
                        row = mapper.map(rs);
                        if (row.modified() != null && row.modified().isAfter(counts.watermark)) {
                            counts.watermark = row.modified();
                        }
                        CrmContactSync.Checked checked = sync.check(row);
                        for (String refused : checked.refusedFields()) {
                            refuseField(connectorId, row, refused);
                        }
                        batch.add(checked.row());
                    } catch (InvalidInputException e) {
                        counts.rejected++;
                        reject(connectorId, row, e);
                    } catch (RuntimeException e) {
                        // No row, whatever its bytes, may stop the poll: this one is set aside unread.
                        counts.rejected++;
                        log.warn("CRM {}: a row could not be read ({}); skipped", connectorId, e.getClass().getSimpleName());
                    }
                    if (batch.size() == BATCH) {
                        applyBatch.run();
                    }
                    if (counts.seen % PROGRESS_EVERY == 0) {
                        log.info("CRM {}: {} rows read so far, {} applied, {} rejected", connectorId,
                                counts.seen, counts.applied, counts.rejected);
                    }
                });
        applyBatch.run();
        syncLog.progress(connectorId, counts.watermark, counts.seen, counts.applied, counts.rejected);
        metrics.polled(connectorId, counts.seen, counts.applied, counts.rejected, counts.watermark);
        if (counts.applied > 0 || counts.rejected > 0) {
            log.info("CRM {} polled: {} rows read, {} applied, {} rejected; watermark {}", connectorId,
                    counts.seen, counts.applied, counts.rejected, counts.watermark);
        }
        return new PollResult(connectorId, counts.seen, counts.applied, counts.rejected, counts.watermark);
    }

    /**
     * Applies a batch in one transaction; if that fails, row by row, so only the bad row is
     * rejected. Returns {applied, rejected} and empties the batch.
     */
    private long[] apply(String connectorId, List<CrmRow> batch) {
        if (batch.isEmpty()) {
            return new long[] {0, 0};
        }
        try {
            return new long[] {sync.applyAll(batch), 0};
        } catch (InvalidInputException | ConflictException | ConcurrencyFailureException e) {
            log.info("CRM {}: a batch of {} rows was rolled back ({}); applying its rows one by one", connectorId,
                    batch.size(), reasonOf(e));
            long applied = 0;
            long rejected = 0;
            for (CrmRow row : batch) {
                try {
                    if (sync.apply(row) != SyncOutcome.UNCHANGED) {
                        applied++;
                    }
                } catch (InvalidInputException | ConflictException rowFailure) {
                    rejected++;
                    reject(connectorId, row, rowFailure);
                } catch (DataAccessException rowFailure) {
                    rejected++;
                    reject(connectorId, row.externalId(), row, "the store refused the row (" + rowFailure.getClass().getSimpleName() + ")");
                }
            }
            return new long[] {applied, rejected};
        } finally {
            batch.clear();
        }
    }

    /** Only speeds the rest of the poll up, so a failure is logged and the poll goes on. */
    private void refreshStatistics(String connectorId) {
        try {
            sync.refreshPlannerStatistics();
        } catch (DataAccessException e) {
            log.warn("CRM {}: could not refresh the store's planner statistics, the sync goes on: {}", connectorId, e.getMessage());
        }
    }

    private void reject(String connectorId, CrmRow row, RuntimeException e) {
        reject(connectorId, row == null ? null : row.externalId(), row, reasonOf(e));
    }

    /**
     * Records a reject; one that cannot even be recorded (a record id the store cannot hold, say)
     * is logged without its values and skipped, so it cannot stop the poll.
     */
    private void reject(String connectorId, String externalId, CrmRow row, String reason) {
        String safeId = LogText.clean(externalId);
        try {
            if (syncLog.reject(connectorId, externalId, row, reason)) {
                log.warn("CRM {} record {} rejected: {}", connectorId, safeId, LogText.clean(reason));
            }
        } catch (DataAccessException e) {
            log.warn("CRM {} record {} rejected: {}; the reject could not be recorded ({}), the row is skipped", connectorId,
                    safeId, LogText.clean(reason), e.getClass().getSimpleName());
        }
    }

    /** A field refused from a row whose rest is applied; logged once per open reject, as {@link #reject}. */
    private void refuseField(String connectorId, CrmRow row, String reason) {
        try {
            if (syncLog.refuseField(row, reason)) {
                log.warn("CRM {} record {} rejected: {}", connectorId, LogText.clean(row.externalId()), LogText.clean(reason));
            }
        } catch (DataAccessException e) {
            log.warn("CRM {} record {}: a refused field could not be recorded ({})", connectorId,
                    LogText.clean(row.externalId()), e.getClass().getSimpleName());
        }
    }

    /** Our own validation messages name rules and fields only; a store's message may quote values. */
    private static String reasonOf(RuntimeException e) {
        return e instanceof InvalidInputException || e instanceof ConflictException
                ? e.getMessage() : e.getClass().getSimpleName();
    }

    private CrmSettings.Connector connector(String connectorId) {
        CrmSettings.Connector connector = settings.connectors().get(connectorId);
        if (connector == null || !"jdbc".equals(connector.kind())) {
            throw new NotFoundException("no JDBC CRM connector '" + connectorId + "' is configured");
        }
        return connector;
    }
}
