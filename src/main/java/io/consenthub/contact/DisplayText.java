package io.consenthub.contact;

/**
 * Text from contacts and CRMs shown on pages and in mails: control characters and the Unicode
 * bidirectional-formatting characters (U+202A–U+202E, U+2066–U+2069, U+200E/U+200F, U+061C) are taken
 * out, so a name with a U+202E cannot reorder the text around it ("Hello, Anna‮…").
 */
public final class DisplayText {

    private DisplayText() {
    }

    /** Whether the text has a character {@link #safe(String)} would take out. */
    public static boolean hasHiddenCharacters(String text) {
        return text != null && text.codePoints().anyMatch(DisplayText::hidden);
    }

    /** The text without control and bidirectional-formatting characters (tabs and newlines become spaces). */
    public static String safe(String text) {
        if (text == null || !hasHiddenCharacters(text)) {
            return text;
        }
        var out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (c == '\t' || c == '\n' || c == '\r') {
                out.append(' ');
            } else if (!hidden(c)) {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    private static boolean hidden(int c) {
        return Character.isISOControl(c) || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069)
                || c == 0x200E || c == 0x200F || c == 0x061C;
    }
}
