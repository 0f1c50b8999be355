package io.consenthub.crm.jdbc;

import io.consenthub.crm.CrmRow;
import io.consenthub.crm.CrmSettings;
import io.consenthub.crm.RowHash;
import io.consenthub.shared.InvalidInputException;

import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Maps one row, read by {@link CrmRowReader} as lower-cased column label → value, to a
 * {@link CrmRow} by the connector's column and attribute mapping.
 */
final class JdbcRowMapper {

    private static final Set<String> TRUE_VALUES = Set.of("1", "true", "yes", "y", "on");

    private final String connectorId;
    private final CrmSettings.Columns columns;
    private final Map<String, String> attributes;

    JdbcRowMapper(String connectorId, CrmSettings.Columns columns, Map<String, String> attributes) {
        this.connectorId = connectorId;
        this.columns = columns;
        this.attributes = attributes;
    }

    CrmRow map(Map<String, Object> values) {
        String externalId = text(values, columns.externalId());
        if (externalId == null || externalId.isBlank()) {
            throw new InvalidInputException("the row has no value in its id column '" + columns.externalId() + "'");
        }
        var mapped = new LinkedHashMap<String, String>();
        // An attribute whose column the driver could not read is left out (the caller refuses that
        // field alone); the record's email, opt-out and deletion still apply.
        attributes.forEach((attribute, column) -> {
            if (!unreadable(values, column)) {
                mapped.put(attribute, text(values, column));
            }
        });
        return new CrmRow(connectorId, externalId, text(values, columns.email()), mapped,
                flag(values, columns.emailOptOut()), flag(values, columns.deleted()), modified(values), hash(values));
    }

    /**
     * The mapping's keys whose column is not among {@code returned} (lower-cased labels), each as
     * {@code columns.modified ('modifiedtime')}: the start-up check and every poll's first row ask.
     */
    static List<String> missingColumns(CrmSettings.Columns columns, Map<String, String> attributes, Set<String> returned) {
        var named = new LinkedHashMap<String, String>();
        named.put("columns.external-id", columns.externalId());
        named.put("columns.modified", columns.modified());
        named.put("columns.email", columns.email());
        named.put("columns.deleted", columns.deleted());
        named.put("columns.email-opt-out", columns.emailOptOut());
        attributes.forEach((attribute, column) -> named.put("attributes." + attribute, column));
        return named.entrySet().stream()
                .filter(e -> e.getValue() != null && !returned.contains(e.getValue().toLowerCase(Locale.ROOT)))
                .map(e -> e.getKey() + " ('" + e.getValue() + "')").toList();
    }

    /** The attributes whose column the driver could not read in this row. */
    List<String> unreadableAttributes(Map<String, Object> values) {
        return attributes.entrySet().stream().filter(e -> unreadable(values, e.getValue())).map(Map.Entry::getKey).toList();
    }

    /** The row's record id if its column could be read, else null: for naming a rejected row. */
    String externalIdOf(Map<String, Object> values) {
        return unreadable(values, columns.externalId()) ? null : text(values, columns.externalId());
    }

    private static boolean unreadable(Map<String, Object> values, String column) {
        return column != null && values.get(column.toLowerCase(Locale.ROOT)) == CrmRowReader.Unreadable.VALUE;
    }

    /** The opt-out flag's column label as the reader keys it, or null when none is mapped. */
    String flagColumn() {
        return columns.emailOptOut() == null ? null : columns.emailOptOut().toLowerCase(Locale.ROOT);
    }

    /** As {@link #missingColumns}, for this connector's mapping. */
    List<String> missingColumns(Set<String> returned) {
        return missingColumns(columns, attributes, returned);
    }

    private static String text(Map<String, Object> values, String column) {
        if (column == null) {
            return null;
        }
        Object value = values.get(column.toLowerCase(Locale.ROOT));
        if (value == CrmRowReader.Unreadable.VALUE) {
            throw new InvalidInputException("column '" + column + "' could not be read by the JDBC driver");
        }
        return value == null ? null : value.toString();
    }

    private static boolean flag(Map<String, Object> values, String column) {
        String value = text(values, column);
        return value != null && TRUE_VALUES.contains(value.trim().toLowerCase(Locale.ROOT));
    }

    private LocalDateTime modified(Map<String, Object> values) {
        Object value = columns.modified() == null ? null : values.get(columns.modified().toLowerCase(Locale.ROOT));
        if (value instanceof Timestamp ts) {
            return ts.toLocalDateTime();
        }
        if (value instanceof LocalDateTime ldt) {
            return ldt;
        }
        return null;
    }

    private static String hash(Map<String, Object> values) {
        return RowHash.of(values);
    }
}
