package io.consenthub.crypto;

import com.google.crypto.tink.Aead;
import io.consenthub.contact.ContactId;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The data keys of a batch's contacts, fetched with one lookup so that a batch of thousands of
 * events does not pay a key lookup per event. A contact whose key was destroyed has no key here:
 * nothing new is encrypted for it ({@link #seal} answers null, the value is not kept) and what was
 * encrypted reads as erased.
 */
public final class KeyRing {

    private final Map<ContactId, Aead> keys;
    private final Set<ContactId> destroyed;

    KeyRing(Map<ContactId, Aead> keys, Set<ContactId> destroyed) {
        this.keys = Map.copyOf(keys);
        this.destroyed = Set.copyOf(destroyed);
    }

    /** The ciphertext of {@code plaintext}, or null when it is null or the contact's key was destroyed. */
    public String seal(ContactId contact, String context, String plaintext) {
        if (plaintext == null) {
            return null;
        }
        Aead key = keys.get(contact);
        if (key == null) {
            if (destroyed.contains(contact)) {
                return null;
            }
            throw new IllegalStateException("no data key was fetched for contact " + contact);
        }
        return ContactCipher.seal(key, contact, context, plaintext);
    }

    /** The plaintext; empty when the ciphertext is null, its key was destroyed, or it does not open in this context. */
    public Optional<String> open(ContactId contact, String context, String ciphertext) {
        Aead key = keys.get(contact);
        if (ciphertext == null || key == null) {
            return Optional.empty();
        }
        return ContactCipher.open(key, contact, context, ciphertext);
    }

    /** Whether the contact's key was destroyed (erasure): its evidence is gone for good. */
    public boolean destroyed(ContactId contact) {
        return destroyed.contains(contact);
    }
}
