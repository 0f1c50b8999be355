package io.consenthub.erasure;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Whether a stored text still holds something erased, and what kind of thing: pure, so
 * {@code ScanMatcherTest} checks each rule. An email is found in any capitals; a phone number by
 * its digits, whatever separators a text puts between them; a name as a whole word in any
 * capitals (so "Berg" is not found inside "Bergström", nor in base64).
 */
final class ScanMatcher {

    /** Names shorter than this are not looked for: they match too much to prove anything. */
    static final int MIN_NAME = 3;
    /** Phone numbers with fewer digits than this are not looked for. */
    static final int MIN_PHONE_DIGITS = 6;

    private final List<String> emails;
    private final List<String> phones;
    private final List<Pattern> names;

    ScanMatcher(List<String> emails, List<String> phones, List<String> names) {
        this.emails = emails.stream().map(e -> e.toLowerCase(Locale.ROOT)).toList();
        this.phones = List.copyOf(phones);
        this.names = names.stream()
                .map(n -> Pattern.compile("(?<![\\p{L}\\p{N}])" + Pattern.quote(n) + "(?![\\p{L}\\p{N}])",
                        Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE))
                .toList();
    }

    /** The kinds of erased data the text holds: {@code email}, {@code phone}, {@code name}; empty when none. */
    List<String> found(String text, boolean withNames) {
        var kinds = new ArrayList<String>();
        if (text == null || text.isEmpty()) {
            return kinds;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        if (emails.stream().anyMatch(lower::contains)) {
            kinds.add("email");
        }
        if (!phones.isEmpty()) {
            List<String> runs = digitRuns(text);
            if (phones.stream().anyMatch(p -> runs.stream().anyMatch(r -> r.contains(p)))) {
                kinds.add("phone");
            }
        }
        if (withNames && names.stream().anyMatch(p -> p.matcher(text).find())) {
            kinds.add("name");
        }
        return kinds;
    }

    /** The phone number's digits, or null when it has too few to look for. */
    static String phoneDigits(String phone) {
        String digits = phone == null ? "" : phone.replaceAll("\\D", "");
        return digits.length() < MIN_PHONE_DIGITS ? null : digits;
    }

    /**
     * The text's runs of digits, the separators a phone number is written with (space, '-', '.',
     * '/', '(', ')', '+') joined out: "+46 8-555 10 00" is one run, "4685551000".
     */
    static List<String> digitRuns(String text) {
        var runs = new ArrayList<String>();
        var run = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                run.append(c);
            } else if (" -./()+".indexOf(c) < 0) {
                if (run.length() > 0) {
                    runs.add(run.toString());
                }
                run.setLength(0);
            }
        }
        if (run.length() > 0) {
            runs.add(run.toString());
        }
        return runs;
    }
}
