package io.consenthub.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import io.consenthub.contact.ContactId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;

/**
 * The key-encryption keyset (a Tink AEAD keyset) that wraps every contact's data key. Loaded once
 * at start-up from {@link CryptoSettings}; a missing or unreadable KEK stops start-up with one
 * message saying where the hub looked. Wrapped contact keys are bound to their contact id, so a
 * wrapped key copied to another contact's row does not open.
 */
@Component
public class KeyEncryptionKey {

    private static final Logger log = LoggerFactory.getLogger(KeyEncryptionKey.class);
    static final String HOW_TO = "see README 'Evidence encryption and keys'";

    static {
        try {
            AeadConfig.register();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Tink AEAD could not be registered", e);
        }
    }

    private final Aead kek;

    KeyEncryptionKey(CryptoSettings settings) {
        this.kek = primitive(load(settings));
    }

    /** A fresh AES256-GCM data key for {@code contact}, wrapped by the KEK, as base64 text. */
    public String newWrappedKey(ContactId contact) {
        try {
            KeysetHandle key = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
            return Base64.getEncoder().encodeToString(TinkProtoKeysetFormat.serializeEncryptedKeyset(key, kek, bind(contact)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not create a data key for contact " + contact, e);
        }
    }

    /** Unwraps a contact's data key; fails when it was wrapped by another KEK or for another contact. */
    public Aead open(ContactId contact, String wrapped) {
        try {
            return primitive(TinkProtoKeysetFormat.parseEncryptedKeyset(Base64.getDecoder().decode(wrapped), kek, bind(contact)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("the data key of contact " + contact
                    + " does not open with the configured KEK (a different KEK, or the row was moved)", e);
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

    static KeysetHandle load(CryptoSettings settings) {
        var problems = new ArrayList<String>();
        if (settings.kek() != null && !settings.kek().isBlank()) {
            return parse(settings.kek(), "consent-hub.crypto.kek (CONSENT_HUB_KEK)");
        }
        String file = settings.kekFile();
        if (file == null || file.isBlank()) {
            problems.add("neither consent-hub.crypto.kek (CONSENT_HUB_KEK) nor consent-hub.crypto.kek-file (CONSENT_HUB_KEK_FILE) is set");
        } else {
            Path path = Path.of(file);
            try {
                if (Files.exists(path)) {
                    return parse(Files.readString(path), "the KEK file " + path);
                }
                if (settings.generateKek()) {
                    generate(path);
                    log.warn("Generated a key-encryption keyset in {}: keep it with the database's backups, without it no evidence can be read", path);
                    return parse(Files.readString(path), "the KEK file " + path);
                }
                problems.add("the KEK file " + path.toAbsolutePath() + " does not exist");
            } catch (IOException e) {
                throw new UncheckedIOException("could not read or write the KEK file " + path, e);
            }
        }
        throw new IllegalStateException("No key-encryption keyset (KEK) for evidence encryption: " + String.join("; ", problems)
                + ". Give a Tink AEAD keyset (JSON) through CONSENT_HUB_KEK or a file through CONSENT_HUB_KEK_FILE; " + HOW_TO);
    }

    private static KeysetHandle parse(String json, String where) {
        try {
            return TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get());
        } catch (GeneralSecurityException | RuntimeException e) {
            // The message deliberately omits the text: it is key material.
            throw new IllegalStateException(where + " does not hold a Tink keyset in JSON; " + HOW_TO);
        }
    }

    /** Writes a new AES256-GCM keyset to {@code path}, readable by the owner only where the file system allows it. */
    static void generate(Path path) throws IOException {
        try {
            KeysetHandle handle = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
            String json = TinkJsonProtoKeysetFormat.serializeKeyset(handle, InsecureSecretKeyAccess.get());
            if (path.toAbsolutePath().getParent() != null) {
                Files.createDirectories(path.toAbsolutePath().getParent());
            }
            Files.writeString(path, json);
            if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not generate a KEK", e);
        }
    }
}
