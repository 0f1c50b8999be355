package io.consenthub.crm.jdbc;

import io.consenthub.crm.CrmDryRun;
import io.consenthub.crm.CrmRow;
import io.consenthub.crm.CrmSettings;
import io.consenthub.crm.CrmStatus;
import io.consenthub.crm.CrmSyncLog;
import io.consenthub.shared.InvalidInputException;
import io.consenthub.shared.NotFoundException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code POST /api/crm/{id}/dry-run}: runs a JDBC connector's query once, for at most
 * {@code limit} rows from the stored watermark (or from the beginning), maps each row as the poll
 * does and shows what syncing it would apply, reject and write back — writing nothing, neither in
 * the hub nor in the CRM. For trying a new connector's mapping before enabling it.
 */
@Component
public class JdbcCrmDryRun {

    /** The preview of one query run: where it started, a summary by outcome and each row. */
    public record Result(String connectorId, LocalDateTime since, Map<String, Integer> summary, List<CrmDryRun.RowPreview> rows) {
    }

    private final CrmSettings settings;
    private final CrmDataSources dataSources;
    private final CrmSyncLog syncLog;
    private final CrmDryRun dryRun;

    JdbcCrmDryRun(CrmSettings settings, CrmDataSources dataSources, CrmSyncLog syncLog, CrmDryRun dryRun) {
        this.settings = settings;
        this.dataSources = dataSources;
        this.syncLog = syncLog;
        this.dryRun = dryRun;
    }

    public Result run(String connectorId, int limit, boolean fromBeginning) {
        CrmSettings.Connector connector = settings.connectors().get(connectorId);
        if (connector == null) {
            throw new NotFoundException("no CRM connector '" + connectorId + "'; configured: " + settings.connectors().keySet());
        }
        if (!"jdbc".equals(connector.kind())) {
            throw new InvalidInputException("a dry run reads a JDBC connector's query; '" + connectorId + "' is of kind " + connector.kind());
        }
        LocalDateTime since = fromBeginning ? JdbcCrmSync.BEGINNING
                : syncLog.status(connectorId).map(CrmStatus::watermark).orElse(JdbcCrmSync.BEGINNING);
        var template = new JdbcTemplate(dataSources.get(connectorId, connector));
        template.setMaxRows(limit);
        template.setQueryTimeout(60);
        List<Object> read = new NamedParameterJdbcTemplate(template).query(connector.query(),
                Map.of("since", Timestamp.valueOf(since)), CrmRowReader::read);
        var mapper = new JdbcRowMapper(connectorId, connector.columns(), connector.attributes());
        var rows = new ArrayList<CrmDryRun.RowPreview>();
        for (Object value : read) {
            rows.add(preview(mapper, value, rows.size()));
        }
        var summary = new TreeMap<String, Integer>();
        rows.forEach(row -> summary.merge(row.outcome(), 1, Integer::sum));
        summary.put("WRITE_BACKS", (int) rows.stream().filter(row -> !row.writeBackTo().isEmpty()).count());
        return new Result(connectorId, since, new LinkedHashMap<>(summary), rows);
    }

    @SuppressWarnings("unchecked")
    private CrmDryRun.RowPreview preview(JdbcRowMapper mapper, Object value, int index) {
        if (value instanceof CrmRowReader.UnreadableRow unreadable) {
            return CrmDryRun.RowPreview.rejected("row " + (index + 1), "the row could not be read (" + unreadable.reason() + ")");
        }
        CrmRow row;
        try {
            row = mapper.map((Map<String, Object>) value);
        } catch (InvalidInputException e) {
            return CrmDryRun.RowPreview.rejected("row " + (index + 1), e.getMessage());
        }
        return dryRun.preview(row);
    }
}
