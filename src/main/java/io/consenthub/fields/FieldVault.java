package io.consenthub.fields;

import io.consenthub.contact.ContactId;
import io.consenthub.contact.FieldProtection;
import io.consenthub.crypto.ContactKeys;
import io.consenthub.crypto.KeyRing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Sensitive values at rest: Tink AEAD under the contact's data key, with the contact id and the
 * field name as associated data (a ciphertext moved to another contact or field does not open),
 * and the blind index of the exposed characters for searchable fields. One key lookup per batch.
 * A contact whose key was destroyed gets nothing sealed (the value is not kept) and reads
 * nothing back.
 */
@Component
class FieldVault implements FieldProtection {

    private static final Logger log = LoggerFactory.getLogger(FieldVault.class);

    private final SensitiveFields fields;
    private final ContactKeys keys;

    FieldVault(SensitiveFields fields, ContactKeys keys) {
        this.fields = fields;
        this.keys = keys;
    }

    static String context(String field) {
        return "field/" + field;
    }

    @Override
    public Set<String> sensitive() {
        return fields.names();
    }

    @Override
    public List<Sealed> seal(Collection<Plain> values) {
        KeyRing ring = keys.forWriting(contacts(values.stream().map(Plain::contact).toList()));
        var sealed = new ArrayList<Sealed>(values.size());
        for (Plain p : values) {
            String ciphertext = ring.seal(p.contact(), context(p.field()), p.value());
            if (ciphertext == null) {
                log.info("Did not keep sensitive field {} of contact {}: its key was destroyed (erased)", p.field(), p.contact());
                continue;
            }
            sealed.add(new Sealed(p.contact(), p.field(), ciphertext, fields.exposedIndex(p.field(), p.value())));
        }
        return sealed;
    }

    @Override
    public Map<ContactId, Map<String, String>> open(Collection<Stored> values) {
        KeyRing ring = keys.forReading(contacts(values.stream().map(Stored::contact).toList()));
        var opened = new HashMap<ContactId, Map<String, String>>();
        KeyRing fresh = null;
        for (Stored s : values) {
            Optional<String> value = ring.open(s.contact(), context(s.field()), s.ciphertext());
            if (value.isEmpty() && !ring.destroyed(s.contact())) {
                // A cached key can be older than the stored value (its data key was rotated on
                // another member): read the keys again once before calling the value unreadable.
                if (fresh == null) {
                    fresh = keys.forReadingUncached(contacts(values.stream().map(Stored::contact).toList()));
                }
                value = fresh.open(s.contact(), context(s.field()), s.ciphertext());
                if (value.isEmpty()) {
                    log.warn("Sensitive field {} of contact {} does not open with its key (the row was moved or altered)", s.field(), s.contact());
                }
            }
            value.ifPresent(v -> opened.computeIfAbsent(s.contact(), c -> new HashMap<>()).put(s.field(), v));
        }
        return opened;
    }

    private static Set<ContactId> contacts(List<ContactId> ids) {
        return new LinkedHashSet<>(ids);
    }
}
