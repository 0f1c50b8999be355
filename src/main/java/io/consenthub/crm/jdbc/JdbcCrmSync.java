package io.consenthub.crm.jdbc;

import io.consenthub.crm.CrmContactSync;
import io.consenthub.crm.CrmMetrics;
import io.consenthub.crm.CrmReconciliation;
import io.consenthub.crm.CrmRejects;
import io.consenthub.crm.CrmRow;
import io.consenthub.crm.CrmSettings;
import io.consenthub.crm.CrmStatus;
import io.consenthub.crm.CrmSyncLog;
import io.consenthub.crm.SyncOutcome;
import io.consenthub.shared.ConflictException;
import io.consenthub.shared.InvalidInputException;
import io.consenthub.shared.NotFoundException;
import jakarta.annotation.PreDestroy;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The generic JDBC connector, driven only by config. The flow is the route
 * {@code jdbc-crm-poll} in {@code routes/crm/jdbc-crm-sync.camel.yaml}: {@link #start} hands the
 * connector's query to a camel-sql endpoint with the stored watermark as {@code :since}, the rows
 * stream back through a splitter in batches of 2 000, {@link #applyBatch} maps, checks and applies
 * each batch in one transaction (so a large initial sync does not pay one commit per row), and
 * {@link #finish} stores the new watermark. A bad row is rejected on its own, with its reason, and
 * never stops the poll.
 */
@Component("jdbcCrmSync")
public class JdbcCrmSync {

    private static final Logger log = LoggerFactory.getLogger(JdbcCrmSync.class);
    static final LocalDateTime BEGINNING = LocalDateTime.of(1970, 1, 1, 0, 0);
    /** Where a poll's progress travels through the route. */
    public static final String POLL = "ConsentHubCrmPoll";
    private static final String POLL_ROUTE = "direct:jdbc-crm-poll";
    /** The connector's query names the watermark {@code :since}; a camel-sql body query names it {@code :?since}. */
    private static final Pattern SINCE = Pattern.compile("(?<![:#\\w]):since\\b");
    private static final int PROGRESS_EVERY = 10_000;
    /**
     * Rows applied in one poll before the planner statistics are refreshed, and then once more at
     * 4×. Twice is enough: once PostgreSQL knows the tables' rows per page it scales its estimates
     * with their size by itself, and each ANALYZE samples up to 30 000 rows of three tables.
     */
    private static final long FIRST_STATISTICS_REFRESH = 5_000;
    private static final long LAST_STATISTICS_REFRESH = 4 * FIRST_STATISTICS_REFRESH;

    /** What one poll did. */
    public record PollResult(String connectorId, long seen, long applied, long rejected, LocalDateTime watermark) {
    }

    /**
     * One poll's state, carried by the exchange from {@link #start} to {@link #finish}. The route's
     * thread owns what reading and mapping need ({@link #read}, {@link #readWatermark}); the
     * pipeline's applier owns the counts and the watermark of what has been applied, which are the
     * ones stored. {@link #finish} reads them after the last batch, so they need no lock.
     */
    static final class Poll {
        private final String connectorId;
        private final JdbcRowMapper mapper;
        /** A reconcile re-reads from the beginning; the stored watermark never moves back. */
        private final Instant reconcileStarted;
        private final LocalDateTime storedWatermark;
        private final BatchPipeline pipeline;
        // the route's thread: reading and mapping
        private long read;
        private LocalDateTime readWatermark;
        // the applier: what has been applied, and stored
        private long seen;
        private long applied;
        private long rejected;
        private LocalDateTime watermark;
        private long nextStatisticsRefresh = FIRST_STATISTICS_REFRESH;
        /** The counts already stored by {@link #checkpoint}; {@link #finish} stores the rest. */
        private long savedSeen;
        private long savedApplied;
        private long savedRejected;

        Poll(String connectorId, JdbcRowMapper mapper, LocalDateTime stored, Instant reconcileStarted, BatchPipeline pipeline) {
            this.connectorId = connectorId;
            this.mapper = mapper;
            this.storedWatermark = stored;
            this.reconcileStarted = reconcileStarted;
            this.pipeline = pipeline;
            this.watermark = reconcileStarted == null ? stored : BEGINNING;
            this.readWatermark = watermark;
        }
    }

    /**
     * A batch read and mapped, ready to apply: its checked rows with their addresses and value
     * hashes, the rejects found while mapping (recorded by the applier, in order, like everything
     * else the batch writes), the record ids it read (for a reconcile) and the watermark once it is
     * applied.
     */
    record MappedBatch(CrmContactSync.PreparedRows rows, List<Runnable> rejects, List<String> externalIds, int seen, int rejected,
                              LocalDateTime watermark) {
    }

    private final CrmSettings settings;
    private final CrmContactSync sync;
    private final CrmSyncLog syncLog;
    private final CrmMetrics metrics;
    private final ProducerTemplate producer;
    private final CrmReconciliation reconciliation;
    private final Clock clock;
    private final Instant hubStarted;
    private final CrmRejects rejects;
    private final Map<String, Semaphore> running = new java.util.concurrent.ConcurrentHashMap<>();
    /** The polls' appliers (see {@link BatchPipeline}): one thread per poll in progress, idle ones end after a minute. */
    private final ExecutorService applier = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
            new SynchronousQueue<>(), new CustomizableThreadFactory("crm-apply-"));

    JdbcCrmSync(CrmSettings settings, CrmContactSync sync, CrmSyncLog syncLog, CrmMetrics metrics,
                ProducerTemplate producer, CrmReconciliation reconciliation, Clock clock, CrmRejects rejects) {
        this.rejects = rejects;
        this.settings = settings;
        this.sync = sync;
        this.syncLog = syncLog;
        this.metrics = metrics;
        this.producer = producer;
        this.reconciliation = reconciliation;
        this.clock = clock;
        this.hubStarted = clock.instant();
    }

    @PreDestroy
    void stopAppliers() {
        applier.shutdown();
    }

    /** Runs one poll of the connector now, through the same route the connector's timer uses. */
    public PollResult poll(String connectorId) {
        return run(connectorId, false);
    }

    /**
     * Runs the connector's reconcile now, through the same route its schedule uses: every record
     * re-read, what differs applied, records the CRM no longer returns counted.
     */
    public PollResult reconcile(String connectorId) {
        return run(connectorId, true);
    }

    private PollResult run(String connectorId, boolean reconcile) {
        connector(connectorId);
        Exchange done = producer.send(POLL_ROUTE, exchange -> {
            exchange.setVariable("connectorId", connectorId);
            exchange.setVariable("reconcile", reconcile);
        });
        // The route records a failed poll and handles it; a caller asking for this poll still hears of it.
        Throwable failure = done.getException() != null ? done.getException() : done.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure != null) {
            throw failure instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException("the poll of CRM " + connectorId + " failed", failure);
        }
        return done.getMessage().getBody(PollResult.class);
    }

    /** The JDBC connectors whose reconcile schedule has come round, for {@code jdbc-crm-reconcile}. */
    public List<String> dueReconciles() {
        Instant now = clock.instant();
        return settings.connectors().entrySet().stream()
                .filter(e -> "jdbc".equals(e.getValue().kind()) && e.getValue().enabled())
                .filter(e -> {
                    var last = reconciliation.last(e.getKey());
                    return ReconcileSchedule.due(e.getValue().reconcile(), last.map(CrmReconciliation.Run::startedAt).orElse(null),
                            last.map(run -> run.finishedAt() != null).orElse(false), hubStarted, now, clock.getZone());
                })
                .map(Map.Entry::getKey).toList();
    }

    /**
     * Starts a poll: the watermark becomes the variable {@code since}, the poll's counts an exchange
     * property, and the body the connector's query for the {@code sql:} endpoint. A reconcile reads
     * from the beginning.
     */
    public String start(String connectorId, Boolean reconcile, Exchange exchange) {
        CrmSettings.Connector connector = connector(connectorId);
        holdConnector(connectorId, exchange);
        LocalDateTime stored = syncLog.status(connectorId).map(CrmStatus::watermark).orElse(BEGINNING);
        Instant reconcileStarted = Boolean.TRUE.equals(reconcile) ? clock.instant() : null;
        if (reconcileStarted != null) {
            reconciliation.started(connectorId, reconcileStarted);
        }
        var poll = new Poll(connectorId, new JdbcRowMapper(connectorId, connector.columns(), connector.attributes()),
                stored, reconcileStarted, new BatchPipeline(applier));
        exchange.setVariable("since", Timestamp.valueOf(poll.watermark));
        exchange.setProperty(POLL, poll);
        return camelQuery(connector.query());
    }

    /**
     * One poll of a connector at a time on this member: its timer, the reconcile timer and the API
     * would otherwise read the same new rows twice at once (two creations of one record, a watermark
     * moved back by the later finish). The hold ends with the exchange, whatever its outcome.
     */
    private void holdConnector(String connectorId, Exchange exchange) {
        Semaphore hold = running.computeIfAbsent(connectorId, id -> new Semaphore(1));
        hold.acquireUninterruptibly();
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                Poll poll = done.getProperty(POLL, Poll.class);
                if (poll != null) {
                    poll.pipeline.awaitQuietly();
                }
                hold.release();
            }
        });
    }

    /** A connector's query as a camel-sql body query: {@code :since} becomes camel-sql's {@code :?since}. */
    static String camelQuery(String query) {
        return SINCE.matcher(query).replaceAll(":?since");
    }

    /**
     * Reads and checks one batch as the splitter hands it over, on the route's thread: maps each row,
     * checks its content, moves the read watermark. Writes nothing: the rejects it finds are applied
     * with the batch. A mapping the query cannot satisfy fails the poll, after the batch in flight.
     */
    public MappedBatch mapBatch(List<?> rows, Poll poll) {
        try {
            if (poll.read == 0) {
                requireMappedColumns(poll, rows);
            }
            var batch = new ArrayList<CrmRow>(rows.size());
            var rejects = new ArrayList<Runnable>();
            var read = new ArrayList<String>(rows.size());
            int rejected = 0;
            for (Object value : rows) {
                poll.read++;
                CrmRow row = checked(poll, value, read, rejects);
                if (row != null) {
                    batch.add(row);
                } else {
                    rejected++;
                }
            }
            return new MappedBatch(sync.prepare(batch), rejects, read, rows.size(), rejected, poll.readWatermark);
        } catch (RuntimeException e) {
            poll.pipeline.awaitQuietly();
            throw e;
        }
    }

    /**
     * Hands a mapped batch to the poll's applier, once the batch before it is applied (whose failure
     * is thrown here instead, failing the poll). See {@link BatchPipeline}.
     */
    public void applyBatch(MappedBatch batch, Poll poll) {
        poll.pipeline.hand(() -> applyMapped(batch, poll));
    }

    /** The applier's part: the batch's rejects, its rows in one transaction, the counts and the watermark. */
    private void applyMapped(MappedBatch batch, Poll poll) {
        if (poll.seen > 0) {
            checkpoint(poll);
        }
        batch.rejects().forEach(Runnable::run);
        long[] done = apply(poll.connectorId, batch.rows());
        long before = poll.seen;
        poll.seen += batch.seen();
        poll.applied += done[0];
        poll.rejected += batch.rejected() + done[1];
        poll.watermark = batch.watermark();
        if (poll.reconcileStarted != null) {
            reconciliation.seen(poll.connectorId, batch.externalIds(), poll.reconcileStarted);
        }
        if (poll.applied >= poll.nextStatisticsRefresh && poll.nextStatisticsRefresh <= LAST_STATISTICS_REFRESH) {
            refreshStatistics(poll.connectorId);
            poll.nextStatisticsRefresh *= 4;
        }
        if (poll.seen / PROGRESS_EVERY > before / PROGRESS_EVERY) {
            log.info("CRM {}: {} rows read so far, {} applied, {} rejected", poll.connectorId,
                    poll.seen, poll.applied, poll.rejected);
        }
    }

    /**
     * Stores the watermark reached by the batches applied so far, as the next batch arrives (so a
     * poll of one batch stores it only in {@link #finish}, as before), not in a reconcile, which
     * reads from the beginning. A member that takes over from one killed in the middle of a long initial sync
     * goes on from the last batch instead of from the start. Safe because the query reads rows
     * ordered by modification time and at or after the watermark: every row before it is applied,
     * and rows sharing its instant are read again and compared by content, never applied twice.
     */
    private void checkpoint(Poll poll) {
        if (poll.reconcileStarted != null || !poll.watermark.isAfter(poll.storedWatermark)) {
            return;
        }
        syncLog.checkpoint(poll.connectorId, poll.watermark, poll.seen - poll.savedSeen, poll.applied - poll.savedApplied,
                poll.rejected - poll.savedRejected);
        poll.savedSeen = poll.seen;
        poll.savedApplied = poll.applied;
        poll.savedRejected = poll.rejected;
    }

    /**
     * A column the mapping names but the query does not return is a configuration mistake, not a
     * bad row: the poll fails (and says which key) rather than re-read everything from 1970 forever.
     */
    private static void requireMappedColumns(Poll poll, List<?> rows) {
        rows.stream().filter(Map.class::isInstance).findFirst().ifPresent(first -> {
            List<String> missing = poll.mapper.missingColumns(((Map<?, ?>) first).keySet().stream()
                    .map(String::valueOf).collect(java.util.stream.Collectors.toSet()));
            if (!missing.isEmpty()) {
                throw new IllegalStateException("CRM " + poll.connectorId + ": the query returns no column for "
                        + missing + "; fix consent-hub.crm.connectors." + poll.connectorId);
            }
        });
    }

    /** Stores the poll's watermark and counts once every row has been read. */
    public PollResult finish(Poll poll) {
        poll.pipeline.awaitInFlight();
        if (poll.watermark.isBefore(poll.storedWatermark)) {
            poll.watermark = poll.storedWatermark;
        }
        if (poll.reconcileStarted != null) {
            var run = reconciliation.finished(poll.connectorId, poll.reconcileStarted, poll.seen, poll.applied, clock.instant());
            log.info("CRM {} reconciled: {} rows read, {} applied, {} records the CRM no longer returns", poll.connectorId,
                    run.rowsSeen(), run.rowsApplied(), run.missing());
        }
        syncLog.progress(poll.connectorId, poll.watermark, poll.seen - poll.savedSeen, poll.applied - poll.savedApplied,
                poll.rejected - poll.savedRejected);
        metrics.polled(poll.connectorId, poll.seen, poll.applied, poll.rejected, poll.watermark);
        if (poll.applied > 0 || poll.rejected > 0) {
            log.info("CRM {} polled: {} rows read, {} applied, {} rejected; watermark {}", poll.connectorId,
                    poll.seen, poll.applied, poll.rejected, poll.watermark);
        }
        return new PollResult(poll.connectorId, poll.seen, poll.applied, poll.rejected, poll.watermark);
    }

    /** The row mapped and checked, or null when it was rejected instead (its reject added to {@code rejects}). */
    @SuppressWarnings("unchecked")
    private CrmRow checked(Poll poll, Object read, List<String> externalIds, List<Runnable> rejects) {
        if (read instanceof CrmRowReader.UnreadableRow unreadable) {
            // No row, whatever its bytes, may stop the poll: this one is set aside unread.
            log.warn("CRM {}: row {} of this poll could not be read ({}); skipped", poll.connectorId,
                    unreadable.rowNumber() + 1, unreadable.reason());
            return null;
        }
        CrmRow row = null;
        try {
            Map<String, Object> values = (Map<String, Object>) read;
            row = poll.mapper.map(values);
            externalIds.add(row.externalId());
            CrmRow mapped = row;
            for (String attribute : poll.mapper.unreadableAttributes(values)) {
                rejects.add(() -> this.rejects.refuseField(poll.connectorId, mapped,
                        "attribute '" + attribute + "': its column could not be read by the JDBC driver"));
            }
            if (row.modified() != null && row.modified().isAfter(poll.readWatermark)) {
                poll.readWatermark = row.modified();
            }
            CrmContactSync.Checked checked = sync.check(row);
            for (String refused : checked.refusedFields()) {
                rejects.add(() -> this.rejects.refuseField(poll.connectorId, mapped, refused));
            }
            return checked.row();
        } catch (InvalidInputException e) {
            String externalId = row != null ? row.externalId() : poll.mapper.externalIdOf((Map<String, Object>) read);
            CrmRow mapped = row;
            rejects.add(() -> this.rejects.reject(poll.connectorId, externalId, mapped, e.getMessage()));
        } catch (RuntimeException e) {
            log.warn("CRM {}: a row could not be mapped ({}); skipped", poll.connectorId, e.getClass().getSimpleName());
        }
        return null;
    }

    /**
     * Applies a batch in one transaction; if that fails, row by row, so only the bad row is
     * rejected. Returns {applied, rejected}.
     */
    private long[] apply(String connectorId, CrmContactSync.PreparedRows prepared) {
        List<CrmRow> batch = prepared.rows();
        if (batch.isEmpty()) {
            return new long[] {0, 0};
        }
        try {
            return new long[] {sync.applyAll(prepared), 0};
        } catch (InvalidInputException | ConflictException | DataAccessException e) {
            if (storeUnavailable(e)) {
                throw e;
            }
            log.info("CRM {}: a batch of {} rows was rolled back ({}); applying its rows one by one", connectorId,
                    batch.size(), reasonOf(e));
            long applied = 0;
            long rejected = 0;
            for (CrmRow row : batch) {
                try {
                    if (sync.apply(row).changedSomething()) {
                        applied++;
                    }
                } catch (InvalidInputException | ConflictException rowFailure) {
                    rejected++;
                    reject(connectorId, row, rowFailure);
                } catch (DataAccessException rowFailure) {
                    if (storeUnavailable(rowFailure) || rowFailure instanceof TransientDataAccessException) {
                        // Not the row's fault (a lock timeout, the store gone): the poll fails and the
                        // watermark stays, so the row is read again rather than set aside for good.
                        throw rowFailure;
                    }
                    rejected++;
                    rejects.reject(connectorId, row.externalId(), row, "the store refused the row (" + rowFailure.getClass().getSimpleName() + ")");
                }
            }
            return new long[] {applied, rejected};
        }
    }

    /** The store itself is unreachable or overloaded: no row can be applied, so none is rejected. */
    private static boolean storeUnavailable(RuntimeException e) {
        return e instanceof DataAccessResourceFailureException || e instanceof RecoverableDataAccessException
                || e instanceof TransientDataAccessResourceException || e instanceof QueryTimeoutException;
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
        rejects.reject(connectorId, row.externalId(), row, reasonOf(e));
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
