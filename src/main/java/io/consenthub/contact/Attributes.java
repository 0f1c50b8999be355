package io.consenthub.contact;

import io.consenthub.shared.InvalidInputException;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A contact's CRM data as name → text. Limits are checked here once so that no store, sync or
 * page has to guess what a value can hold.
 */
public record Attributes(Map<String, String> values) {

    public static final int MAX_ATTRIBUTES = 100;
    public static final int MAX_VALUE_LENGTH = 4000;
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");

    public Attributes {
        values = values == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(values));
        if (values.size() > MAX_ATTRIBUTES) {
            throw new InvalidInputException("at most " + MAX_ATTRIBUTES + " attributes per contact");
        }
        values.forEach(Attributes::check);
    }

    /** Names only: attributes may be personal data, and a record's default text would put them in logs. */
    @Override
    public String toString() {
        return "Attributes" + values.keySet();
    }

    public static Attributes empty() {
        return new Attributes(Map.of());
    }

    /** Applies a patch: a null value removes the attribute, any other value replaces it. */
    public Attributes merge(Map<String, String> patch) {
        if (patch == null || patch.isEmpty()) {
            return this;
        }
        var merged = new LinkedHashMap<>(values);
        patch.forEach((name, value) -> {
            if (value == null) {
                checkName(name);
                merged.remove(name);
            } else {
                merged.put(name, value);
            }
        });
        return new Attributes(merged);
    }

    private static void check(String name, String value) {
        checkName(name);
        if (value == null) {
            throw new InvalidInputException("attribute '" + name + "' has no value");
        }
        if (value.length() > MAX_VALUE_LENGTH) {
            throw new InvalidInputException("attribute '" + name + "' is longer than " + MAX_VALUE_LENGTH + " characters");
        }
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidInputException("attribute name '" + name
                    + "' must start with a letter and hold only letters, digits, '_', '.' or '-' (at most 64)");
        }
    }
}
