package io.consenthub.crypto;

import com.google.crypto.tink.Aead;
import io.consenthub.contact.ContactId;
import org.springframework.stereotype.Component;

import java.util.Optional;
import java.util.UUID;

/**
 * A secret a job must keep for a while and then forget for good (the erasure job's list of what
 * its final scan looks for): sealed under a key of its own, wrapped by the key-encryption key, so
 * the database alone never opens it and deleting the wrapped key destroys it.
 */
@Component
public class SealedBoxes {

    /** A sealed secret: its wrapped key and its ciphertext, both base64 text. */
    public record Sealed(String wrappedKey, String ciphertext) {
    }

    private final KeyEncryptionKey kek;

    SealedBoxes(KeyEncryptionKey kek) {
        this.kek = kek;
    }

    /** Seals {@code plaintext} for {@code owner} (a job id) in {@code context}. */
    public Sealed seal(UUID owner, String context, String plaintext) {
        ContactId binding = new ContactId(owner);
        String wrapped = kek.newWrappedKey(binding);
        Aead key = kek.open(binding, wrapped);
        return new Sealed(wrapped, ContactCipher.seal(key, binding, context, plaintext));
    }

    /** The plaintext; empty when the box's key is gone or it does not open for this owner and context. */
    public Optional<String> open(UUID owner, String context, Sealed sealed) {
        if (sealed == null || sealed.wrappedKey() == null || sealed.ciphertext() == null) {
            return Optional.empty();
        }
        ContactId binding = new ContactId(owner);
        return ContactCipher.open(kek.open(binding, sealed.wrappedKey()), binding, context, sealed.ciphertext());
    }
}
