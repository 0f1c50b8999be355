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
        attributes.forEach((attribute, column) -> mapped.put(attribute, text(values, column)));
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

    /** As {@link #missingColumns}, for this connector's mapping. */
    List<String> missingColumns(Set<String> returned) {
        return missingColumns(columns, attributes, returned);
    }

    private static String text(Map<String, Object> values, String column) {
        if (column == null) {
            return null;
        }
        Object value = values.get(column.toLowerCase(Locale.ROOT));
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
