package io.consenthub.crm;

/**
 * Text from a CRM made safe for a log line: a newline in a record id or reason would forge a log
 * line and a NUL make the log binary, so control characters become {@code ?}.
 */
public final class LogText {

    private LogText() {
    }

    public static String clean(String text) {
        if (text == null) {
            return null;
        }
        var clean = new StringBuilder(text.length());
        text.codePoints().forEach(c -> clean.appendCodePoint(Character.isISOControl(c)
                || Character.getType(c) == Character.FORMAT ? '?' : c));
        return clean.toString();
    }
}
