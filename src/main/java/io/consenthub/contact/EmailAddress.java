package io.consenthub.contact;

import io.consenthub.shared.InvalidInputException;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A primary email address as given, plus the key it is matched on. Two CRMs that spell the
 * same mailbox with different capitals must land on one contact, so matching uses {@link #key()}.
 */
public record EmailAddress(String value) {

    private static final int MAX_LENGTH = 254;
    private static final Pattern SHAPE = Pattern.compile(
            "^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$");

    public EmailAddress {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException("an email address is required");
        }
        value = value.trim();
        if (value.length() > MAX_LENGTH) {
            throw new InvalidInputException("email address is longer than " + MAX_LENGTH + " characters");
        }
        if (!SHAPE.matcher(value).matches() || value.contains("..") || value.startsWith(".") || value.contains(".@")) {
            throw new InvalidInputException("'" + value + "' is not a valid email address");
        }
    }

    public String key() {
        return value.toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return value;
    }
}
