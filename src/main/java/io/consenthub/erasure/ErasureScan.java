package io.consenthub.erasure;

import io.consenthub.contact.ContactId;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The erasure's proof: reads every text column of every hub table, and the configured log files,
 * for what was erased ({@link ScanTargets}). Emails and phone numbers are looked for everywhere;
 * names (common words: another contact may be called Anna too) in the erased contact's own rows
 * (those whose {@code id} or {@code contact_id} is the contact's) and in the logs; CRM record ids
 * in every {@code external_id} column. Findings name the table and column (or file and line
 * number) and the kind, never the value. The job's own table is left out: it holds the targets,
 * sealed, until the scan is done.
 */
@Component
class ErasureScan {

    /** One place that still holds erased data. */
    record Finding(String where, String kind, long count) {
    }

    /** What the scan read and found. */
    record Result(List<Finding> findings, int tables, long cells, List<String> logFiles, List<String> unreadable) {

        boolean clean() {
            return findings.isEmpty();
        }
    }

    private static final List<String> NOT_SCANNED = List.of("erasure_job", "flyway_schema_history");

    private final JdbcClient jdbc;

    ErasureScan(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Result scan(ContactId contact, ScanTargets targets, List<Path> logFiles) {
        var matcher = new ScanMatcher(targets.emails(), targets.phones(), targets.names());
        var findings = new TreeMap<String, Long>();
        Map<String, List<String>> tables = textColumns();
        long cells = 0;
        for (var table : tables.entrySet()) {
            cells += scanTable(table.getKey(), table.getValue(), contact, matcher, findings);
        }
        for (ScanTargets.CrmId id : targets.crmIds()) {
            for (var table : tables.entrySet()) {
                if (table.getValue().contains("external_id")) {
                    boolean byConnector = table.getValue().contains("connector_id");
                    long n = jdbc.sql("select count(*) from " + table.getKey() + " where external_id = ?"
                                    + (byConnector ? " and connector_id = ?" : ""))
                            .params(byConnector ? List.of(id.externalId(), id.connectorId()) : List.of(id.externalId()))
                            .query(Long.class).single();
                    if (n > 0) {
                        findings.merge(table.getKey() + ".external_id\tcrm-id", n, Long::sum);
                    }
                }
            }
        }
        var unreadable = new ArrayList<String>();
        var scannedLogs = new ArrayList<String>();
        for (Path file : logFiles) {
            if (scanLog(file, matcher, findings)) {
                scannedLogs.add(file.toString());
            } else {
                unreadable.add(file.toString());
            }
        }
        var list = new ArrayList<Finding>();
        findings.forEach((key, count) -> {
            String[] parts = key.split("\t");
            list.add(new Finding(parts[0], parts[1], count));
        });
        return new Result(list, tables.size(), cells, scannedLogs, unreadable);
    }

    /** Every table's text columns, lower-case names, from the database's own catalogue. */
    private Map<String, List<String>> textColumns() {
        var tables = new TreeMap<String, List<String>>();
        jdbc.sql("""
                select lower(table_name), lower(column_name), upper(data_type) from information_schema.columns
                 where table_schema = current_schema order by table_name, ordinal_position""")
                .query((ResultSet rs) -> {
                    String table = rs.getString(1);
                    String type = rs.getString(3);
                    if (!NOT_SCANNED.contains(table)) {
                        List<String> columns = tables.computeIfAbsent(table, t -> new ArrayList<>());
                        boolean text = type.contains("CHAR") || type.contains("TEXT") || type.contains("CLOB");
                        String column = rs.getString(2);
                        // id columns are listed too, to tell the contact's own rows; only text columns are read
                        if (text || column.equals("contact_id") || column.equals("id")) {
                            columns.add(text ? column : "#" + column);
                        }
                    }
                });
        tables.values().removeIf(columns -> columns.stream().noneMatch(c -> !c.startsWith("#")));
        return tables;
    }

    /** Reads one table's text columns, row by row; returns the cells read. */
    private long scanTable(String table, List<String> columns, ContactId contact, ScanMatcher matcher, Map<String, Long> findings) {
        List<String> text = columns.stream().filter(c -> !c.startsWith("#")).toList();
        String owner = columns.contains("#contact_id") || columns.contains("contact_id") ? "contact_id"
                : table.equals("contact") ? "id" : null;
        var select = new ArrayList<>(text);
        if (owner != null) {
            select.add("cast(" + owner + " as varchar(64)) as erasure_owner");
        }
        long[] cells = {0};
        String ownId = contact.value().toString();
        jdbc.sql("select " + String.join(", ", select) + " from " + table)
                .query((ResultSet rs) -> {
                    ResultSetMetaData meta = rs.getMetaData();
                    boolean own = owner != null && ownId.equalsIgnoreCase(rs.getString(meta.getColumnCount()));
                    for (int i = 0; i < text.size(); i++) {
                        cells[0]++;
                        for (String kind : matcher.found(rs.getString(i + 1), own)) {
                            findings.merge(table + "." + text.get(i) + "\t" + kind, 1L, Long::sum);
                        }
                    }
                });
        return cells[0];
    }

    /** Reads one log file line by line; false when it cannot be read. */
    private static boolean scanLog(Path file, ScanMatcher matcher, Map<String, Long> findings) {
        if (!Files.isReadable(file)) {
            return false;
        }
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            long number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                for (String kind : matcher.found(line, true)) {
                    findings.merge(file.getFileName() + ":" + number + "\t" + kind, 1L, Long::sum);
                }
            }
            return true;
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }

    static Map<String, Object> describe(Result result) {
        var m = new LinkedHashMap<String, Object>();
        m.put("clean", result.clean());
        m.put("tables", result.tables());
        m.put("cells", result.cells());
        m.put("logFiles", result.logFiles());
        m.put("unreadableLogFiles", result.unreadable());
        m.put("findings", result.findings());
        return m;
    }
}
