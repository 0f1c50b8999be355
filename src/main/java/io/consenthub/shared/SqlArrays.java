package io.consenthub.shared;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Helpers for statements that take a whole batch of rows as array parameters and unnest them in
 * the database (PostgreSQL and H2 both read {@code unnest(cast(? as varchar array))}). One such
 * statement replaces a statement per row, which is what makes bulk CRM syncs affordable.
 * Timestamps travel as text in one fixed format that both databases cast back exactly.
 */
public final class SqlArrays {

    /** An array parameter of keys as a one-column table {@code k(v)} to join against. */
    public static final String KEYS = "unnest(cast(? as varchar array)) k(v)";

    /** The most rows or keys one statement takes as arrays; larger batches are sent in parts. */
    public static final int PART = 1_000;

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSSxxx");
    private static final DateTimeFormatter LOCAL_TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");

    private SqlArrays() {
    }

    /**
     * The values in parts of at most {@link #PART}, one statement each: arrays stay of a size the
     * databases bind and plan well, whatever the caller's batch size.
     */
    public static <T> List<List<T>> parts(Collection<T> values) {
        List<T> all = List.copyOf(values);
        var parts = new ArrayList<List<T>>();
        for (int i = 0; i < all.size(); i += PART) {
            parts.add(all.subList(i, Math.min(all.size(), i + PART)));
        }
        return parts;
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
