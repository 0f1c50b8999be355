package io.consenthub.crm;

import io.consenthub.shared.ConflictException;
import io.consenthub.shared.InvalidInputException;
import io.consenthub.shared.NotFoundException;

import java.sql.SQLException;
import java.util.LinkedHashSet;

/**
 * A failure described for the status API, metrics, the outbox and logs without personal data: the
 * hub's own exceptions carry messages that name rules and fields only, so those are kept; of any
 * other exception (a JDBC driver's, an HTTP client's) only the class names of its cause chain and a
 * SQLState are kept, because their messages may quote the values of a row.
 */
public final class FailureText {

    private static final int MAX = 1000;

    private FailureText() {
    }

    /** Marks an exception whose message is built to name codes and fields only, never values. */
    public interface ValueFree {
    }

    public static String of(Throwable failure) {
        if (failure == null) {
            return "unknown error";
        }
        if (ours(failure)) {
            return limit(LogText.clean(failure.getMessage()));
        }
        var classes = new LinkedHashSet<String>();
        String sqlState = null;
        for (Throwable t = failure; t != null && classes.size() < 4; t = t.getCause() == t ? null : t.getCause()) {
            classes.add(t.getClass().getSimpleName());
            if (sqlState == null && t instanceof SQLException sql && sql.getSQLState() != null) {
                sqlState = sql.getSQLState();
            }
        }
        return limit(String.join(" caused by ", classes) + (sqlState == null ? "" : " (SQLState " + LogText.clean(sqlState) + ")"));
    }

    /** The exception class alone, for metric labels. */
    public static String kind(Throwable failure) {
        return failure == null ? "unknown" : failure.getClass().getSimpleName();
    }

    private static boolean ours(Throwable failure) {
        return failure.getMessage() != null && (failure instanceof InvalidInputException || failure instanceof ConflictException
                || failure instanceof NotFoundException || failure instanceof CrmWriteBack.NotWritable || failure instanceof ValueFree);
    }

    private static String limit(String text) {
        return text.length() > MAX ? text.substring(0, MAX) : text;
    }
}
