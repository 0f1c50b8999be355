package io.consenthub.crypto;

import com.google.crypto.tink.Aead;
import io.consenthub.contact.ContactId;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Optional;

/**
 * Encryption of one value under a contact's data key, as base64 text. The associated data is the
 * contact id and a {@code context} (for ledger evidence: event id and column), so a ciphertext
 * copied to another row, column or contact no longer opens.
 */
public final class ContactCipher {

    private ContactCipher() {
    }

    public static String seal(Aead key, ContactId contact, String context, String plaintext) {
        try {
            return Base64.getEncoder().encodeToString(key.encrypt(plaintext.getBytes(StandardCharsets.UTF_8), bind(contact, context)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not encrypt " + context + " of contact " + contact, e);
        }
    }

    /** The plaintext, or empty when the ciphertext is not base64 or does not open with this key and context. */
    public static Optional<String> open(Aead key, ContactId contact, String context, String ciphertext) {
        try {
            return Optional.of(new String(key.decrypt(Base64.getDecoder().decode(ciphertext), bind(contact, context)), StandardCharsets.UTF_8));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static byte[] bind(ContactId contact, String context) {
        return ("consent-hub/v1/" + contact.value() + "/" + context).getBytes(StandardCharsets.UTF_8);
    }
}
