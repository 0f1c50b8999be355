package io.consenthub.fields;

import io.consenthub.crypto.IndexKey;
import io.consenthub.shared.InvalidInputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The sensitive attributes of this deployment and the one way to show them: masked. Every answer
 * that carries attributes (API, page, exports) passes them through {@link #masked}; the plaintext
 * leaves the hub only through a logged reveal. The configuration is checked at start-up, every
 * problem listed.
 */
@Component
public class SensitiveFields {

    private static final Logger log = LoggerFactory.getLogger(SensitiveFields.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");
    static final String EXPOSED = "field-exposed/";

    private final Map<String, Declared> fields;
    private final Set<String> notEncrypted;
    private final IndexKey index;

    /** A field as configured and checked. */
    record Declared(String name, FieldMask mask, boolean searchable) {
    }

    SensitiveFields(FieldSettings settings, IndexKey index) {
        this.index = index;
        var problems = new ArrayList<String>();
        var declared = new TreeMap<String, Declared>();
        var off = new java.util.TreeSet<String>();
        for (int i = 0; i < settings.sensitive().size(); i++) {
            FieldSettings.Field f = settings.sensitive().get(i);
            String where = "consent-hub.fields.sensitive[" + i + "]" + (f.name() == null ? "" : " '" + f.name() + "'");
            if (f.name() == null || !NAME.matcher(f.name()).matches()) {
                problems.add(where + ": name must be an attribute name (a letter, then letters, digits, '_', '.' or '-', at most 64)");
                continue;
            }
            if (declared.containsKey(f.name()) || off.contains(f.name())) {
                problems.add(where + ": declared twice");
                continue;
            }
            if (!f.encrypted()) {
                off.add(f.name());
                continue;
            }
            Optional<FieldMask> mask = FieldMask.parse(f.mask() == null ? "none" : f.mask());
            if (mask.isEmpty()) {
                problems.add(where + ": mask '" + f.mask() + "' is not one of none, first-N, last-N, first-N-last-M (N, M below 100)");
                continue;
            }
            if (f.searchable() && !mask.get().searchable()) {
                problems.add(where + ": searchable needs a mask that exposes one part (first-N or last-N), not '" + mask.get() + "'");
                continue;
            }
            declared.put(f.name(), new Declared(f.name(), mask.get(), f.searchable()));
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Sensitive field configuration (config/fields.yaml) is invalid:\n  - "
                    + String.join("\n  - ", problems));
        }
        this.fields = Collections.unmodifiableMap(declared);
        this.notEncrypted = Collections.unmodifiableSet(off);
        if (!declared.isEmpty()) {
            log.info("Sensitive fields, stored encrypted and shown masked: {}", declared.keySet());
        }
    }

    /** The names of the sensitive attributes. */
    public Set<String> names() {
        return fields.keySet();
    }

    public boolean isSensitive(String attribute) {
        return fields.containsKey(attribute);
    }

    /** Fields config lists with {@code encrypted: false}: allowed only if never encrypted (the registry checks). */
    Set<String> declaredNotEncrypted() {
        return notEncrypted;
    }

    Optional<Declared> declared(String field) {
        return Optional.ofNullable(fields.get(field));
    }

    /** A copy of these attributes with every sensitive value masked; other values as they are. */
    public Map<String, String> masked(Map<String, String> attributes) {
        if (attributes == null) {
            return null;
        }
        var shown = new LinkedHashMap<String, String>();
        attributes.forEach((name, value) -> shown.put(name, masked(name, value)));
        return shown;
    }

    /** One value as it may be shown: masked when the attribute is sensitive. */
    public String masked(String attribute, String value) {
        Declared d = fields.get(attribute);
        return d == null || value == null ? value : d.mask().apply(value);
    }

    /**
     * The blind-index values a search for {@code query} among {@code field}'s exposed characters
     * matches (one per index key, so a search works during a rotation). A field that is not
     * sensitive or not searchable is a 400 with the reason.
     */
    public List<String> searchIndexes(String field, String query) {
        Declared d = fields.get(field);
        if (d == null) {
            throw new InvalidInputException("'" + field + "' is not a sensitive field; only sensitive fields are searched by their exposed characters");
        }
        if (!d.searchable()) {
            throw new InvalidInputException("'" + field + "' is not searchable (config/fields.yaml, searchable: true)");
        }
        String key = FieldMask.queryKey(query);
        if (key.isEmpty()) {
            throw new InvalidInputException("a search of '" + field + "' needs the letters or digits its mask shows");
        }
        int shown = d.mask().first() + d.mask().last();
        if (key.length() > shown) {
            // more than the mask shows can never match, and a full value does not belong in a URL or a log
            throw new InvalidInputException("a search of '" + field + "' takes at most the " + shown
                    + " characters its mask shows (" + d.mask() + ")");
        }
        return index.candidates(EXPOSED + field, key);
    }

    /** The blind index of a value's exposed characters, or null when the field is not searchable. */
    String exposedIndex(String field, String value) {
        Declared d = fields.get(field);
        if (d == null || !d.searchable()) {
            return null;
        }
        String key = d.mask().exposedKey(value);
        return key.isEmpty() ? null : index.mac(EXPOSED + field, key);
    }
}
