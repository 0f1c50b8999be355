package io.consenthub.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import io.consenthub.contact.ContactId;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

/**
 * The key-encryption keyset (a Tink AEAD keyset) that wraps every contact's data key. Loaded once
 * at start-up from {@link CryptoSettings}; a missing or unreadable KEK stops start-up with one
 * message saying where the hub looked. Wrapped contact keys are bound to their contact id, so a
 * wrapped key copied to another contact's row does not open.
 *
 * <p>The keyset may hold several keys: the primary wraps, every key unwraps. Rotating it is adding
 * a new primary and re-wrapping the contact keys ({@link #rewrap}), which re-encrypts no value.
 */
@Component
public class KeyEncryptionKey {

    static {
        try {
            AeadConfig.register();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Tink AEAD could not be registered", e);
        }
    }

    private final Aead kek;
    private final int primaryId;

    KeyEncryptionKey(CryptoSettings settings) {
        KeysetHandle handle = Keysets.load(source(settings));
        this.kek = primitive(handle);
        this.primaryId = handle.getPrimary().getId();
    }

    static Keysets.Source source(CryptoSettings settings) {
        return new Keysets.Source("key-encryption keyset (KEK)", settings.kek(), "consent-hub.crypto.kek (CONSENT_HUB_KEK)",
                settings.kekFile(), "consent-hub.crypto.kek-file (CONSENT_HUB_KEK_FILE)", settings.generateKek(),
                PredefinedAeadParameters.AES256_GCM);
    }

    /** The id of the KEK's primary key: the one every newly wrapped key is wrapped with. */
    public int primaryId() {
        return primaryId;
    }

    /** A fresh AES256-GCM data key for {@code contact}, wrapped by the KEK's primary key, as base64 text. */
    public String newWrappedKey(ContactId contact) {
        try {
            return wrap(contact, KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not create a data key for contact " + contact, e);
        }
    }

    /** Unwraps a contact's data key; fails when it was wrapped by another KEK or for another contact. */
    public Aead open(ContactId contact, String wrapped) {
        return primitive(handle(contact, wrapped));
    }

    /** The same data key, wrapped again by the KEK's current primary key. */
    String rewrap(ContactId contact, String wrapped) {
        return wrap(contact, handle(contact, wrapped));
    }

    /**
     * The contact's data keyset with a new primary key added: new values are encrypted under it,
     * everything encrypted before still opens (its key stays in the keyset).
     */
    String withNewDataKey(ContactId contact, String wrapped) {
        try {
            return wrap(contact, Keysets.withNewPrimary(handle(contact, wrapped), PredefinedAeadParameters.AES256_GCM));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not add a data key for contact " + contact, e);
        }
    }

    private KeysetHandle handle(ContactId contact, String wrapped) {
        try {
            return TinkProtoKeysetFormat.parseEncryptedKeyset(Base64.getDecoder().decode(wrapped), kek, bind(contact));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("the data key of contact " + contact
                    + " does not open with the configured KEK (a different KEK, or the row was moved)", e);
        }
    }

    private String wrap(ContactId contact, KeysetHandle key) {
        try {
            return Base64.getEncoder().encodeToString(TinkProtoKeysetFormat.serializeEncryptedKeyset(key, kek, bind(contact)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not wrap the data key of contact " + contact, e);
        }
    }

    private static byte[] bind(ContactId contact) {
        return ("consent-hub/contact-key/" + contact.value()).getBytes(StandardCharsets.UTF_8);
    }

    static Aead primitive(KeysetHandle handle) {
        try {
            return handle.getPrimitive(RegistryConfiguration.get(), Aead.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the keyset is not an AEAD keyset", e);
        }
    }
}
