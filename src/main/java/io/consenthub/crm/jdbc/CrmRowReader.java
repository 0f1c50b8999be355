package io.consenthub.crm.jdbc;

import org.apache.camel.component.sql.RowMapperFactory;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads each row of a JDBC CRM's query for the {@code sql:} endpoint in
 * {@code routes/crm/jdbc-crm-sync.camel.yaml}: every column by its lower-cased label, as the
 * driver returns it. A value the driver cannot read (MariaDB's year 0000, an unconvertible value)
 * becomes {@link Unreadable#VALUE}, and a row whose columns cannot even be listed an
 * {@link UnreadableRow}, instead of an exception: camel-sql's iterator would otherwise end the
 * whole poll at that row, and no single row may stop a poll.
 */
@Component("crmRowReader")
class CrmRowReader implements RowMapperFactory {

    /** A row the driver could not read; {@code reason} is the exception's class, never a value. */
    record UnreadableRow(int rowNumber, String reason) {
    }

    /**
     * Stands for one column the driver could not read. Only a mapped column makes the row a reject
     * (with its record id, when that column could be read); an unmapped one only enters the row hash.
     */
    enum Unreadable { VALUE }

    @Override
    public RowMapper<?> newColumnRowMapper() {
        return CrmRowReader::read;
    }

    /**
     * Refused on purpose: the sync's steps take column maps, and a bean mapper would also lose the
     * per-column protection above. An {@code outputClass} on the endpoint is a route mistake.
     */
    @Override
    public RowMapper<?> newBeanRowMapper(Class<?> outputClass) {
        throw new IllegalStateException("CRM rows are read as column maps (the sync maps them by config); "
                + "remove outputClass from the sql endpoint in routes/crm/jdbc-crm-sync.camel.yaml");
    }

    static Object read(ResultSet rs, int rowNumber) {
        try {
            ResultSetMetaData meta = rs.getMetaData();
            Map<String, Object> values = new TreeMap<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                Object value;
                try {
                    value = rs.getObject(i);
                } catch (SQLException | RuntimeException e) {
                    value = Unreadable.VALUE;
                }
                values.put(meta.getColumnLabel(i).toLowerCase(Locale.ROOT), value);
            }
            return values;
        } catch (SQLException | RuntimeException e) {
            return new UnreadableRow(rowNumber, e.getClass().getSimpleName());
        }
    }
}
