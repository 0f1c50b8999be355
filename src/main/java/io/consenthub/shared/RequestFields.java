package io.consenthub.shared;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Checks for evidence fields a caller sends (an IP, a user agent, a note) before anything is
 * written: an over-long or malformed value is refused with the field's name, never cut or left to
 * a column overflow, so the answer cannot depend on whether the address is already known.
 */
public final class RequestFields {

    /** The column sizes of consent_event and preference_change. */
    public static final int MAX_USER_AGENT = 512;
    public static final int MAX_NOTE = 1000;
    private static final int MAX_IP = 45;
    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    private RequestFields() {
    }

    /**
     * An IPv4 or IPv6 address literal, or null. Only the characters of a literal pass to
     * {@link InetAddress#getByName}, which then parses and never asks DNS.
     */
    public static String ip(String field, String value) {
        if (value == null) {
            return null;
        }
        if (value.length() <= MAX_IP && (IPV4.matcher(value).matches() || isIpv6(value))) {
            return value;
        }
        throw new InvalidInputException("field '" + field + "' must be an IP address such as 203.0.113.7 or 2001:db8::1");
    }

    public static String bounded(String field, String value, int max) {
        if (value != null && value.length() > max) {
            throw new InvalidInputException("field '" + field + "' is longer than " + max + " characters");
        }
        return value;
    }

    private static boolean isIpv6(String value) {
        if (!value.contains(":") || !IPV6_CHARS.matcher(value).matches()) {
            return false;
        }
        try {
            InetAddress.getByName(value);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
