package io.consenthub.crm.salesforce;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads CSV as RFC 4180 writes it, one record at a time, so a page of Bulk API 2.0 query results is
 * never held as text and records at once: fields separated by commas, records by LF or CRLF, a
 * quoted field may hold commas, line breaks and doubled quotes ({@code ""} for one {@code "}).
 * Bulk API 2.0 writes a null value as an empty field; Salesforce stores no empty strings (an
 * emptied text field is null), so an empty field, quoted or not, is read as null.
 */
final class BulkCsv {

    private static final int MAX_FIELD = 1_000_000;

    private final Reader in;
    private int next;
    private boolean started;

    BulkCsv(Reader in) {
        this.in = in;
    }

    /** The next record's fields (null for empty ones), or null at the end of the text. */
    List<String> next() {
        try {
            if (!started) {
                next = in.read();
                started = true;
            }
            if (next == -1) {
                return null;
            }
            var fields = new ArrayList<String>();
            var field = new StringBuilder();
            while (true) {
                if (next == '"' && field.isEmpty()) {
                    quoted(field);
                    // After the closing quote only a separator, a line end or the end may follow.
                    if (next != ',' && next != '\r' && next != '\n' && next != -1) {
                        throw new IllegalStateException("malformed CSV: text after a quoted field");
                    }
                }
                if (next == ',') {
                    fields.add(value(field));
                    field.setLength(0);
                    next = in.read();
                } else if (next == '\r' || next == '\n' || next == -1) {
                    fields.add(value(field));
                    if (next == '\r') {
                        next = in.read();
                    }
                    if (next == '\n') {
                        next = in.read();
                    }
                    return fields;
                } else {
                    if (next == '"') {
                        throw new IllegalStateException("malformed CSV: a quote inside an unquoted field");
                    }
                    append(field, next);
                    next = in.read();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the Bulk API results could not be read", e);
        }
    }

    /** Reads a quoted field up to and past its closing quote; {@code next} is then the character after it. */
    private void quoted(StringBuilder field) throws IOException {
        while (true) {
            int c = in.read();
            if (c == -1) {
                throw new IllegalStateException("malformed CSV: a quoted field is not closed");
            }
            if (c == '"') {
                next = in.read();
                if (next != '"') {
                    return;
                }
            }
            append(field, c);
        }
    }

    private static void append(StringBuilder field, int c) {
        if (field.length() >= MAX_FIELD) {
            throw new IllegalStateException("malformed CSV: a field longer than " + MAX_FIELD + " characters");
        }
        field.append((char) c);
    }

    private static String value(StringBuilder field) {
        return field.isEmpty() ? null : field.toString();
    }
}
