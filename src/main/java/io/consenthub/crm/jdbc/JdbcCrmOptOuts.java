package io.consenthub.crm.jdbc;

import io.consenthub.crm.CrmContactSync;
import io.consenthub.crm.CrmRow;
import io.consenthub.crm.CrmSettings;
import io.consenthub.crm.CrmSyncLog;
import io.consenthub.crm.LogText;
import io.consenthub.shared.InvalidInputException;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

/**
 * A JDBC connector's {@code opt-out-query}, run after its record query on every tick (route
 * {@code jdbc-crm-opt-outs}): for CRMs that keep an unsubscribe in a joined table (an email-address
 * table, say) without touching the record's modification time, so the record query would never
 * see it. The query returns the record id column, the opt-out flag column (every row counts as
 * opted out if it has none) and, if it names {@code :since}, the modified column of the table it
 * reads, which keeps its own watermark. Each row is applied once (by content hash), alone: a bad
 * one is logged by record id and skipped.
 */
@Component("jdbcCrmOptOuts")
public class JdbcCrmOptOuts {

    private static final Logger log = LoggerFactory.getLogger(JdbcCrmOptOuts.class);
    /** Where a run's progress travels through the route. */
    public static final String RUN = "ConsentHubCrmOptOuts";

    /** One run of the opt-out query. */
    static final class Run {
        private final String connectorId;
        private final JdbcRowMapper mapper;
        /** The opt-out flag's column, or null when the mapping names none. */
        private final String flagColumn;
        private LocalDateTime watermark;
        private long optedOut;

        Run(String connectorId, JdbcRowMapper mapper, LocalDateTime since) {
            this.connectorId = connectorId;
            this.mapper = mapper;
            this.flagColumn = mapper.flagColumn();
            this.watermark = since;
        }
    }

    private final CrmSettings settings;
    private final CrmContactSync sync;
    private final CrmSyncLog syncLog;

    JdbcCrmOptOuts(CrmSettings settings, CrmContactSync sync, CrmSyncLog syncLog) {
        this.settings = settings;
        this.sync = sync;
        this.syncLog = syncLog;
    }

    /** Whether the connector declares an opt-out query, for the route's filter. */
    public boolean declared(String connectorId) {
        CrmSettings.Connector connector = settings.connectors().get(connectorId);
        return connector != null && connector.optOutQuery() != null && !connector.optOutQuery().isBlank();
    }

    /** Starts a run: its watermark becomes the variable {@code since}, the body the query. */
    public String start(String connectorId, Exchange exchange) {
        CrmSettings.Connector connector = settings.connectors().get(connectorId);
        LocalDateTime since = syncLog.optOutWatermark(connectorId).orElse(JdbcCrmSync.BEGINNING);
        CrmSettings.Columns columns = connector.columns();
        exchange.setVariable("since", Timestamp.valueOf(since));
        exchange.setProperty(RUN, new Run(connectorId, new JdbcRowMapper(connectorId, columns, Map.of()), since));
        return JdbcCrmSync.camelQuery(connector.optOutQuery());
    }

    public void applyBatch(List<?> rows, Run run) {
        for (Object value : rows) {
            if (!(value instanceof Map<?, ?> read)) {
                log.warn("CRM {}: an opt-out row could not be read; skipped", run.connectorId);
                continue;
            }
            String externalId = null;
            try {
                @SuppressWarnings("unchecked")
                CrmRow row = run.mapper.map((Map<String, Object>) read);
                externalId = row.externalId();
                if (row.modified() != null && row.modified().isAfter(run.watermark)) {
                    run.watermark = row.modified();
                }
                // The flag decides only where the query returns it; a query without it lists opt-outs only.
                boolean flagReturned = run.flagColumn != null && read.containsKey(run.flagColumn);
                boolean optedOut = !flagReturned || row.emailOptOut();
                if (sync.applyOptOut(run.connectorId, externalId, optedOut, row.rowHash())) {
                    run.optedOut++;
                }
            } catch (RuntimeException e) {
                // No single row may stop the run: our own messages name rules, a store's may quote values.
                log.warn("CRM {} record {}: its opt-out row was skipped ({})", run.connectorId, LogText.clean(externalId),
                        e instanceof InvalidInputException ? e.getMessage() : e.getClass().getSimpleName());
            }
        }
    }

    public void finish(Run run) {
        syncLog.optOutProgress(run.connectorId, run.watermark);
        if (run.optedOut > 0) {
            log.info("CRM {}: its opt-out query opted {} contacts out", run.connectorId, run.optedOut);
        }
    }
}
