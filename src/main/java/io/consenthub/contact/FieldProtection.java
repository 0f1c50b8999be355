package io.consenthub.contact;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How sensitive attributes are kept at rest, as the contact store needs it: which attributes are
 * sensitive, and sealing and opening their values. The store keeps sealed values in
 * {@code contact_field} and never writes a sensitive value into the attributes JSON. Implemented by
 * the {@code fields} module (Tink, per-contact keys, keyed MACs); the contact module knows no keys.
 */
public interface FieldProtection {

    /** The attributes configured as sensitive. */
    Set<String> sensitive();

    /**
     * Seals these values. A value whose contact's key was destroyed (erasure) has no sealed form:
     * it is left out of the answer and so not kept.
     */
    List<Sealed> seal(Collection<Plain> values);

    /** Opens these sealed values, by contact and field; a value that does not open (key destroyed) is left out. */
    Map<ContactId, Map<String, String>> open(Collection<Stored> values);

    /** A sensitive value to seal. */
    record Plain(ContactId contact, String field, String value) {
        @Override
        public String toString() {
            return "Plain[" + contact + "/" + field + "]";
        }
    }

    /** A sealed value: ciphertext, and for searchable fields the blind index of its exposed part. */
    record Sealed(ContactId contact, String field, String ciphertext, String exposedIndex) {
    }

    /** A sealed value as read back. */
    record Stored(ContactId contact, String field, String ciphertext) {
    }
}
