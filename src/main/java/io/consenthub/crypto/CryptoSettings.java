package io.consenthub.crypto;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;

/**
 * Where the hub's two keysets come from. The key-encryption keyset (KEK, Tink AEAD) wraps every
 * contact's data key: {@code kek} is its JSON (normally {@code ${CONSENT_HUB_KEK}}), {@code kekFile}
 * a file holding it. The index keyset (Tink PRF) keys every MAC the hub keeps instead of a value:
 * blind indexes of sensitive fields and the CRM change-detection hashes; {@code indexKey} /
 * {@code indexKeyFile} likewise. For each, the inline JSON wins when both are set.
 * {@code generateKek}, on only in the embedded default, writes a fresh keyset to the file when it
 * does not exist yet. Neither ever comes from the database: a copy of the database alone must
 * open no value and confirm no guess. {@code keyCacheSize} bounds how many unwrapped contact keys
 * are held in memory. {@code keyStore} puts the contact keys in a database of their own.
 */
@ConfigurationProperties("consent-hub.crypto")
public record CryptoSettings(String kek, String kekFile, Boolean generateKek, Integer keyCacheSize,
                             String indexKey, String indexKeyFile, KeyStore keyStore) {

    /** A database of its own for the contact keys ({@link ContactKeyStore}); no URL: the hub's database. */
    public record KeyStore(String url, String username, String password) {
    }

    @ConstructorBinding
    public CryptoSettings {
        generateKek = generateKek != null && generateKek;
        keyCacheSize = keyCacheSize == null ? 10_000 : keyCacheSize;
    }

    /** Settings with no index keyset, for code that only wraps contact keys. */
    public CryptoSettings(String kek, String kekFile, Boolean generateKek, Integer keyCacheSize) {
        this(kek, kekFile, generateKek, keyCacheSize, null, null, null);
    }
}
