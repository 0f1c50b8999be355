package io.consenthub.system;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Helpers for statements that take a whole batch of rows as array parameters and unnest them in
 * the database (PostgreSQL and H2 both read {@code unnest(cast(? as varchar array))}). One such
 * statement replaces a statement per row, which is what makes bulk CRM syncs affordable.
 * Timestamps travel as text in one fixed format that both databases cast back exactly.
 */
public final class SqlArrays {

    /** An array parameter of keys as a one-column table {@code k(v)} to join against. */
    public static final String KEYS = "unnest(cast(? as varchar array)) k(v)";

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSSxxx");
    private static final DateTimeFormatter LOCAL_TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");

    private SqlArrays() {
    }

    /** An instant as text for {@code cast(... as timestamp with time zone)}, in UTC, to the microsecond. */
    public static String timestamp(Instant instant) {
        return instant == null ? null : TIMESTAMP.format(OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    /** A local date-time as text for {@code cast(... as timestamp)}, to the microsecond. */
    public static String timestamp(java.time.LocalDateTime dateTime) {
        return dateTime == null ? null : LOCAL_TIMESTAMP.format(dateTime);
    }
}
