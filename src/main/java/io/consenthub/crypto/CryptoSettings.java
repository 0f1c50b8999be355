package io.consenthub.crypto;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the key-encryption keyset (KEK) comes from. {@code kek} is the keyset's JSON itself
 * (normally {@code ${CONSENT_HUB_KEK}}), {@code kekFile} a file holding it; {@code kek} wins when
 * both are set. {@code generateKek}, on only in the embedded default, writes a fresh keyset to
 * {@code kekFile} when that file does not exist yet. The KEK never comes from the database: a copy
 * of the database alone must not open the evidence. {@code keyCacheSize} bounds how many unwrapped
 * contact keys are held in memory.
 */
@ConfigurationProperties("consent-hub.crypto")
public record CryptoSettings(String kek, String kekFile, Boolean generateKek, Integer keyCacheSize) {

    public CryptoSettings {
        generateKek = generateKek != null && generateKek;
        keyCacheSize = keyCacheSize == null ? 10_000 : keyCacheSize;
    }
}
