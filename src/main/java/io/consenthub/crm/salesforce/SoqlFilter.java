package io.consenthub.crm.salesforce;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An object's configured extra SOQL condition ({@code objects.<name>.where}), checked to be
 * nothing but a condition: comparisons of a field with a literal ({@code =}, {@code !=},
 * {@code <>}, {@code <}, {@code <=}, {@code >}, {@code >=}, {@code LIKE}, {@code [NOT] IN (...)}),
 * joined by {@code AND}/{@code OR}, negated by {@code NOT}, grouped by parentheses. The sync puts
 * it in parentheses in front of its own condition, so it can only narrow what is read: no
 * {@code ORDER BY}, {@code LIMIT}, sub-query or unbalanced quote or parenthesis can reach the
 * query, which keeps paging and watermarks as the sync expects them.
 */
final class SoqlFilter {

    private static final int MAX_LENGTH = 1_000;
    private static final Pattern TOKEN = Pattern.compile(String.join("|",
            "\\s+",
            "'(?:[^'\\\\]|\\\\.)*'",
            "\\d{4}-\\d{2}-\\d{2}(?:T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,3})?(?:Z|[+-]\\d{2}:\\d{2}))?",
            "-?\\d+(?:\\.\\d+)?",
            "<=|>=|!=|<>|=|<|>",
            "[(),]",
            "[A-Za-z][A-Za-z0-9_]*(?:\\.[A-Za-z][A-Za-z0-9_]*){0,4}(?::\\d{1,4})?"));
    private static final Set<String> OPERATORS = Set.of("=", "!=", "<>", "<", "<=", ">", ">=");
    /** Words that are SOQL syntax, never a field; those after a condition would change the query. */
    private static final Set<String> KEYWORDS = Set.of("AND", "OR", "NOT", "IN", "LIKE", "SELECT", "FROM", "WHERE", "ORDER",
            "BY", "LIMIT", "OFFSET", "GROUP", "HAVING", "FOR", "WITH", "USING", "INCLUDES", "EXCLUDES", "TYPEOF", "ALL");
    private static final Pattern FIELD = Pattern.compile("[A-Za-z][A-Za-z0-9_]*(?:\\.[A-Za-z][A-Za-z0-9_]*){0,4}");
    /** Date literals such as TODAY or LAST_N_DAYS:30. */
    private static final Pattern DATE_LITERAL = Pattern.compile("[A-Z][A-Z_]*(?::\\d{1,4})?");

    private final List<String> tokens;
    private int at;

    private SoqlFilter(List<String> tokens) {
        this.tokens = tokens;
    }

    /** Why the text is not a plain SOQL condition, or null when it is. */
    static String problem(String where) {
        if (where.length() > MAX_LENGTH) {
            return "longer than " + MAX_LENGTH + " characters";
        }
        var tokens = new ArrayList<String>();
        Matcher token = TOKEN.matcher(where);
        int position = 0;
        while (position < where.length()) {
            if (!token.find(position) || token.start() != position) {
                return "'" + where.charAt(position) + "' at " + (position + 1) + " is not part of a SOQL condition";
            }
            if (!token.group().isBlank()) {
                tokens.add(token.group());
            }
            position = token.end();
        }
        var filter = new SoqlFilter(tokens);
        try {
            filter.expression();
            if (filter.at != tokens.size()) {
                throw new IllegalArgumentException("'" + tokens.get(filter.at) + "' does not continue the condition");
            }
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** The condition in front of the sync's own, so that it can only narrow the query. */
    static String and(String where, String condition) {
        return where == null ? condition : "(" + where + ") AND " + condition;
    }

    private void expression() {
        term();
        while (word("OR")) {
            term();
        }
    }

    private void term() {
        factor();
        while (word("AND")) {
            factor();
        }
    }

    private void factor() {
        if (word("NOT")) {
            factor();
        } else if (symbol("(")) {
            expression();
            expect(")");
        } else {
            comparison();
        }
    }

    private void comparison() {
        String field = next("a field name");
        if (!FIELD.matcher(field).matches() || KEYWORDS.contains(field.toUpperCase(Locale.ROOT))) {
            throw new IllegalArgumentException("'" + field + "' is not a field name");
        }
        if (word("NOT")) {
            if (!word("IN")) {
                throw new IllegalArgumentException("NOT after a field must be NOT IN");
            }
            list();
        } else if (word("IN")) {
            list();
        } else if (word("LIKE")) {
            if (!next("a quoted pattern").startsWith("'")) {
                throw new IllegalArgumentException("LIKE takes a quoted pattern");
            }
        } else {
            String operator = next("an operator");
            if (!OPERATORS.contains(operator)) {
                throw new IllegalArgumentException("'" + operator + "' is not a comparison operator");
            }
            literal();
        }
    }

    private void list() {
        expect("(");
        literal();
        while (symbol(",")) {
            literal();
        }
        expect(")");
    }

    private void literal() {
        String value = next("a value");
        String upper = value.toUpperCase(Locale.ROOT);
        boolean plain = value.startsWith("'") || Character.isDigit(value.charAt(0)) || value.startsWith("-")
                || upper.equals("TRUE") || upper.equals("FALSE") || upper.equals("NULL");
        if (!plain && !(DATE_LITERAL.matcher(value).matches() && !KEYWORDS.contains(value))) {
            throw new IllegalArgumentException("'" + value + "' is not a value (a quoted text, number, true, false, null or date)");
        }
    }

    private boolean word(String keyword) {
        if (at < tokens.size() && tokens.get(at).equalsIgnoreCase(keyword)) {
            at++;
            return true;
        }
        return false;
    }

    private boolean symbol(String symbol) {
        if (at < tokens.size() && tokens.get(at).equals(symbol)) {
            at++;
            return true;
        }
        return false;
    }

    private void expect(String symbol) {
        if (!symbol(symbol)) {
            throw new IllegalArgumentException("'" + symbol + "' expected" + (at < tokens.size() ? " before '" + tokens.get(at) + "'" : " at the end"));
        }
    }

    private String next(String what) {
        if (at >= tokens.size()) {
            throw new IllegalArgumentException(what + " expected at the end");
        }
        return tokens.get(at++);
    }
}
