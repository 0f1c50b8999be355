package io.consenthub.crm.jdbc;

import io.consenthub.consent.PurposeCatalog;
import io.consenthub.crm.ConnectorCheck;
import io.consenthub.crm.CrmSettings;
import io.consenthub.crm.WriteBackValues;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JDBC connector's own start-up checks: the keys it cannot work without, write-back statements
 * that can only update (never delete or replace a CRM's data), their parameter names, the
 * reconcile schedule, and, when the CRM answers, that the query returns every column the mapping
 * names — a {@code modified} column it does not return would leave the watermark at 1970 and
 * re-read everything on every poll. A CRM that does not answer at start-up is not a config
 * problem: the hub starts and the poll reports it.
 */
@Component
class JdbcConnectorCheck implements ConnectorCheck {

    private static final Logger log = LoggerFactory.getLogger(JdbcConnectorCheck.class);
    private static final Pattern UPDATE = Pattern.compile("(?is)\\s*update\\s.*");
    private static final Pattern UPSERT = Pattern.compile("(?is)\\s*insert\\s.*\\bon\\s+(conflict\\b.*\\bdo\\s+update|duplicate\\s+key\\s+update)\\b.*");
    private static final Pattern SELECT = Pattern.compile("(?is)\\s*select\\s.*");
    private static final Pattern NAMED_PARAMETER = Pattern.compile("(?<![:\\w]):([A-Za-z_]\\w*)");
    /** A timestamp no CRM row has: the column check runs the query for no rows. */
    private static final Timestamp FAR_FUTURE = Timestamp.valueOf(LocalDateTime.of(9999, 12, 31, 0, 0));

    private final PurposeCatalog catalog;
    private final CrmDataSources dataSources;

    JdbcConnectorCheck(PurposeCatalog catalog, CrmDataSources dataSources) {
        this.catalog = catalog;
        this.dataSources = dataSources;
    }

    @Override
    public String kind() {
        return "jdbc";
    }

    @Override
    public void check(String id, CrmSettings.Connector connector, List<String> problems) {
        String at = "consent-hub.crm.connectors." + id + ".";
        boolean complete = true;
        if (connector.jdbc() == null || blank(connector.jdbc().url())) {
            problems.add(at + "jdbc.url: required for a jdbc connector");
            complete = false;
        }
        if (blank(connector.query())) {
            problems.add(at + "query: required for a jdbc connector (rows changed at or after :since)");
            complete = false;
        }
        CrmSettings.Columns columns = connector.columns();
        if (columns == null || blank(columns.externalId()) || blank(columns.email()) || blank(columns.modified())) {
            problems.add(at + "columns: external-id, email and modified are required");
            complete = false;
        }
        checkReconcile(at, connector.reconcile(), problems);
        if (connector.optOutQuery() != null && !connector.optOutQuery().isBlank() && !SELECT.matcher(connector.optOutQuery()).matches()) {
            problems.add(at + "opt-out-query: must be a SELECT returning the record id column (columns.external-id)");
        }
        if (connector.writeBack() != null) {
            checkStatements(at, connector.writeBack(), problems);
        }
        if (complete && connector.enabled()) {
            checkColumns(id, at, connector, problems);
        }
    }

    /** Why this write-back statement may not run, or null: only UPDATEs and upserts write into a CRM. */
    static String statementProblem(String statement, Set<String> parameters) {
        if (statement.strip().replaceAll(";\\s*$", "").contains(";")) {
            return "one statement per entry (no ';' inside)";
        }
        if (!UPDATE.matcher(statement).matches() && !UPSERT.matcher(statement).matches()) {
            return "only UPDATE, INSERT ... ON CONFLICT ... DO UPDATE and INSERT ... ON DUPLICATE KEY UPDATE may write into a CRM";
        }
        var unknown = new LinkedHashSet<String>();
        Matcher named = NAMED_PARAMETER.matcher(statement);
        while (named.find()) {
            if (!parameters.contains(named.group(1))) {
                unknown.add(":" + named.group(1));
            }
        }
        return unknown.isEmpty() ? null : "unknown parameters " + unknown + "; known: " + parameters.stream().map(p -> ":" + p).sorted().toList();
    }

    private void checkStatements(String at, CrmSettings.WriteBack writeBack, List<String> problems) {
        Set<String> parameters = new HashSet<>();
        parameters.add("externalId");
        parameters.add("clearOptOut");
        WriteBackValues.names(catalog.all()).forEach(name -> parameters.add(WriteBackValues.sqlName(name)));
        String exists = writeBack.existsQuery();
        if (exists != null && !exists.isBlank()) {
            if (!SELECT.matcher(exists).matches()) {
                problems.add(at + "write-back.exists-query: must be a SELECT (one row when the record exists)");
            } else if (!exists.contains(":externalId")) {
                problems.add(at + "write-back.exists-query: must name the record as :externalId");
            }
        }
        List<String> statements = writeBack.statements();
        for (int i = 0; i < statements.size(); i++) {
            String problem = statementProblem(statements.get(i), parameters);
            if (problem != null) {
                problems.add(at + "write-back.statements[" + i + "]: " + problem);
            }
        }
    }

    private static void checkReconcile(String at, CrmSettings.Reconcile reconcile, List<String> problems) {
        if (reconcile == null) {
            return;
        }
        if ((reconcile.period() == null) == blank(reconcile.cron())) {
            problems.add(at + "reconcile: set either period or cron");
        } else if (reconcile.period() != null && (reconcile.period().isNegative() || reconcile.period().isZero())) {
            problems.add(at + "reconcile.period: must be positive");
        } else if (!blank(reconcile.cron()) && !CronExpression.isValidExpression(reconcile.cron())) {
            problems.add(at + "reconcile.cron: '" + reconcile.cron() + "' is not a cron expression (six fields: second minute hour day month weekday)");
        }
    }

    /** Runs the query for no rows and compares the columns it returns with the mapping. */
    private void checkColumns(String id, String at, CrmSettings.Connector connector, List<String> problems) {
        Set<String> returned;
        try {
            var template = new JdbcTemplate(dataSources.get(id, connector));
            template.setMaxRows(1);
            template.setQueryTimeout(10);
            returned = new NamedParameterJdbcTemplate(template).query(connector.query(), Map.of("since", FAR_FUTURE), rs -> {
                var labels = new HashSet<String>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    labels.add(rs.getMetaData().getColumnLabel(i).toLowerCase(Locale.ROOT));
                }
                return labels;
            });
        } catch (RuntimeException e) {
            log.warn("CRM {}: could not check the query's columns at start-up ({}); the first poll will report it",
                    id, e.getClass().getSimpleName());
            return;
        }
        for (String missing : JdbcRowMapper.missingColumns(connector.columns(), connector.attributes(), returned)) {
            problems.add(at + missing + ": the query returns no such column; it returns " + new java.util.TreeSet<>(returned));
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
