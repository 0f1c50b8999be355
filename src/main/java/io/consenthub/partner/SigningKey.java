package io.consenthub.partner;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.util.Arrays;
import java.util.Base64;

/**
 * A partner's asymmetric signing key: the Ed25519 private key the {@code crypto:sign} step signs
 * with, and its public key in the Standard Webhooks form ({@code whpk_} and the base64 of the raw
 * 32 bytes) that the partner verifies {@code v1a} signatures with.
 */
record SigningKey(PrivateKey privateKey, String publicKey) {

    /** Standard Webhooks' prefix of an Ed25519 public key. */
    static final String PUBLIC_PREFIX = "whpk_";
    /** The DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410); the raw key follows it. */
    private static final int X509_PREFIX = 12;

    /** Loads the key, or fails with a message naming what is wrong (never the password). */
    static SigningKey load(PartnerSettings.KeyStoreRef ref) {
        if (ref.path() == null || ref.path().isBlank() || ref.alias() == null || ref.alias().isBlank()) {
            throw new IllegalArgumentException("path and alias are required");
        }
        char[] password = ref.password() == null ? new char[0] : ref.password().toCharArray();
        try (InputStream in = Files.newInputStream(Path.of(ref.path()))) {
            KeyStore store = KeyStore.getInstance(ref.type());
            store.load(in, password);
            if (!(store.getKey(ref.alias(), password) instanceof PrivateKey key)) {
                throw new IllegalArgumentException("the key store holds no private key under alias '" + ref.alias() + "'");
            }
            Certificate certificate = store.getCertificate(ref.alias());
            if (!isEd25519(key) || certificate == null || !isEd25519(certificate.getPublicKey())) {
                throw new IllegalArgumentException("the key under alias '" + ref.alias() + "' is " + key.getAlgorithm()
                        + "; v1a signatures need Ed25519 (keytool -genkeypair -keyalg Ed25519)");
            }
            return new SigningKey(key, PUBLIC_PREFIX + Base64.getEncoder().encodeToString(raw(certificate.getPublicKey())));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the key store " + ref.path() + " (wrong path or password?)");
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot open the key store " + ref.path() + " as " + ref.type() + ": " + e.getClass().getSimpleName());
        }
    }

    private static boolean isEd25519(java.security.Key key) {
        return key.getAlgorithm().equals("Ed25519") || key.getAlgorithm().equals("EdDSA");
    }

    private static byte[] raw(PublicKey key) {
        byte[] encoded = key.getEncoded();
        return Arrays.copyOfRange(encoded, X509_PREFIX, encoded.length);
    }

    @Override
    public String toString() {
        return "SigningKey[" + publicKey + "]";
    }
}
