package io.consenthub.email;

import java.util.regex.Pattern;

/**
 * A mail failure described for the outbox and the log without the address: an SMTP server's reply
 * usually quotes the recipient ({@code 550 5.1.1 <ada@example.org>: user unknown}), which is
 * personal data (and, with a sensitive primary email, the very value the contact table keeps only
 * encrypted). The reply code and text stay: they are what an operator needs.
 */
final class MailErrorText {

    private static final Pattern ADDRESS = Pattern.compile("[^\\s<>\"'(),;:\\[\\]]+@[^\\s<>\"'(),;:\\[\\]]+");
    private static final int MAX = 1000;

    private MailErrorText() {
    }

    static String of(Throwable failure) {
        if (failure == null) {
            return "unknown error";
        }
        return withoutAddresses(failure.getClass().getSimpleName() + ": " + failure.getMessage());
    }

    static String withoutAddresses(String text) {
        if (text == null) {
            return null;
        }
        String clean = ADDRESS.matcher(text).replaceAll("[address]").replaceAll("[\\p{Cntrl}]", " ");
        return clean.length() > MAX ? clean.substring(0, MAX) : clean;
    }
}
