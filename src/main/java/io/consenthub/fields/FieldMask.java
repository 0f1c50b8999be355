package io.consenthub.fields;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How much of a sensitive value anyone may see without revealing it: the mask rules, in one place.
 * Written in config as {@code last-4}, {@code first-2}, {@code first-6-last-4} or {@code none}.
 *
 * <ul>
 *   <li>Only letters and digits count and are shown; spaces, dashes and other separators are
 *       ignored, so {@code 4111 1111 1111 1234} and {@code 4111-1111-1111-1234} mask alike.</li>
 *   <li>Never more than half of a value's letters and digits is exposed: a short value exposes
 *       fewer (the last characters first), a value of one character exposes nothing.</li>
 *   <li>The hidden part is always four bullets, whatever its length, so the mask tells no length:
 *       {@code •••• 1234}, {@code SE ••••}, {@code 4111 •••• 1234} (first-6-last-4 of 16 digits), {@code ••••}.</li>
 *   <li>Search compares the exposed characters, case-folded, with the query's letters and digits;
 *       only masks with one exposed part (first or last) are searchable.</li>
 * </ul>
 */
public record FieldMask(int first, int last) {

    public static final String HIDDEN = "••••";
    private static final Pattern SYNTAX = Pattern.compile("none|first-(\\d{1,2})|last-(\\d{1,2})|first-(\\d{1,2})-last-(\\d{1,2})");

    public FieldMask {
        if (first < 0 || last < 0) {
            throw new IllegalArgumentException("a mask exposes zero or more characters");
        }
    }

    /** The mask written in config; empty when the text is not one of the forms above. */
    public static Optional<FieldMask> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = SYNTAX.matcher(text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        if (m.group(1) != null) {
            return Optional.of(new FieldMask(Integer.parseInt(m.group(1)), 0));
        }
        if (m.group(2) != null) {
            return Optional.of(new FieldMask(0, Integer.parseInt(m.group(2))));
        }
        if (m.group(3) != null) {
            return Optional.of(new FieldMask(Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4))));
        }
        return Optional.of(new FieldMask(0, 0));
    }

    /** Whether search by the exposed characters can work with this mask (exactly one exposed part). */
    public boolean searchable() {
        return (first == 0) != (last == 0);
    }

    /** The value as everyone may see it. */
    public String apply(String value) {
        String significant = significant(value);
        Exposed e = exposed(significant);
        var text = new StringBuilder();
        if (!e.head().isEmpty()) {
            text.append(e.head()).append(' ');
        }
        text.append(HIDDEN);
        if (!e.tail().isEmpty()) {
            text.append(' ').append(e.tail());
        }
        return text.toString();
    }

    /** The exposed characters, case-folded, as the search index keeps them. */
    public String exposedKey(String value) {
        Exposed e = exposed(significant(value));
        return (e.head() + e.tail()).toLowerCase(Locale.ROOT);
    }

    /** A search query as the index compares it: its letters and digits, case-folded. */
    public static String queryKey(String query) {
        return significant(query).toLowerCase(Locale.ROOT);
    }

    private record Exposed(String head, String tail) {
    }

    private Exposed exposed(String significant) {
        int n = significant.codePointCount(0, significant.length());
        int allowed = n / 2;
        int tail = Math.min(last, allowed);
        int head = Math.min(first, allowed - tail);
        int[] cps = significant.codePoints().toArray();
        return new Exposed(new String(cps, 0, head), new String(cps, n - tail, tail));
    }

    private static String significant(String value) {
        if (value == null) {
            return "";
        }
        var out = new StringBuilder();
        value.codePoints().filter(Character::isLetterOrDigit).forEach(out::appendCodePoint);
        return out.toString();
    }

    @Override
    public String toString() {
        if (first == 0 && last == 0) {
            return "none";
        }
        if (first == 0) {
            return "last-" + last;
        }
        return last == 0 ? "first-" + first : "first-" + first + "-last-" + last;
    }
}
