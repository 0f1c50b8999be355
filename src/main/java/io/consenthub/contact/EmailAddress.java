package io.consenthub.contact;

import io.consenthub.shared.InvalidInputException;

import java.net.IDN;
import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A primary email address, the one place addresses are normalised and matched. Two CRMs that spell
 * the same mailbox with different capitals, or one with {@code bücher.de} and one with its punycode
 * {@code xn--bcher-kva.de}, must land on one contact, so matching uses {@link #key()}: the local part
 * lower-cased, the domain in its ASCII (punycode) form. {@link #value()} is the form shown to people:
 * as given, NFC-normalised, with the domain in Unicode. Local parts may be UTF-8 (RFC 6531,
 * {@code jörg.müller@example.de}); such an address can only be mailed through an SMTP server that
 * offers SMTPUTF8 ({@link #hasUtf8LocalPart()}). Control and bidirectional-formatting characters are
 * refused anywhere in an address: they would make one address look like another.
 */
public record EmailAddress(String value) {

    private static final int MAX_LENGTH = 254;
    private static final Pattern ASCII_LOCAL = Pattern.compile("^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}$");
    private static final Pattern ASCII_DOMAIN = Pattern.compile(
            "^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$");

    public EmailAddress {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException("an email address is required");
        }
        value = Normalizer.normalize(value.trim(), Normalizer.Form.NFC);
        if (value.length() > MAX_LENGTH) {
            throw new InvalidInputException("email address is longer than " + MAX_LENGTH + " characters");
        }
        if (DisplayText.hasHiddenCharacters(value)) {
            throw new InvalidInputException("the email address contains control or bidirectional-formatting characters");
        }
        int at = value.lastIndexOf('@');
        if (at <= 0 || at == value.length() - 1) {
            throw invalid();
        }
        String local = value.substring(0, at);
        String domain = unicodeDomain(value, value.substring(at + 1));
        if (!validLocal(local)) {
            throw invalid();
        }
        value = local + "@" + domain;
    }

    private static boolean validLocal(String local) {
        if (local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
            return false;
        }
        if (ASCII_LOCAL.matcher(local).matches()) {
            return true;
        }
        // RFC 6531: atext plus any non-ASCII letter, mark or digit; at most 64 octets in UTF-8.
        if (local.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 64) {
            return false;
        }
        return local.codePoints().allMatch(c -> c < 128 ? ASCII_LOCAL.matcher(Character.toString(c)).matches()
                : Character.isLetterOrDigit(c) || Character.getType(c) == Character.NON_SPACING_MARK
                        || Character.getType(c) == Character.COMBINING_SPACING_MARK);
    }

    /** The domain in Unicode, after checking that its ASCII (IDNA) form is a valid host name. */
    private static String unicodeDomain(String address, String domain) {
        String ascii;
        try {
            ascii = toAscii(domain, IDN.USE_STD3_ASCII_RULES);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (!ASCII_DOMAIN.matcher(ascii).matches()) {
            throw invalid();
        }
        boolean plainAscii = isAscii(domain) && !ascii.toLowerCase(Locale.ROOT).contains("xn--");
        return plainAscii ? domain : IDN.toUnicode(ascii.toLowerCase(Locale.ROOT), IDN.USE_STD3_ASCII_RULES);
    }

    /**
     * The IDNA (punycode) form of a domain. An all-ASCII domain is its own ASCII form (IDNA changes
     * only non-ASCII labels, and the host-name pattern checks what STD3 would), so it is returned as
     * it is: the sync builds an address for every CRM row, and IDNA's conversion was most of its cost.
     */
    private static String toAscii(String domain, int flags) {
        return isAscii(domain) ? domain : IDN.toASCII(domain, flags);
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 128) {
                return false;
            }
        }
        return true;
    }

    private static InvalidInputException invalid() {
        // Never the address itself: this message reaches logs and the CRM reject list.
        return new InvalidInputException("not a valid email address (local@domain)");
    }

    private String local() {
        return value.substring(0, value.lastIndexOf('@'));
    }

    private String asciiDomain() {
        return toAscii(value.substring(value.lastIndexOf('@') + 1), 0).toLowerCase(Locale.ROOT);
    }

    /** What addresses are matched on: local part lower-cased, domain in punycode. */
    public String key() {
        return local().toLowerCase(Locale.ROOT) + "@" + asciiDomain();
    }

    /** The address as SMTP carries it: the domain in punycode, the local part as given. */
    public String transportForm() {
        return local() + "@" + asciiDomain();
    }

    /** Whether the local part has non-ASCII characters: mail to it needs an SMTP server with SMTPUTF8. */
    public boolean hasUtf8LocalPart() {
        return local().chars().anyMatch(c -> c >= 128);
    }

    @Override
    public String toString() {
        return value;
    }
}
