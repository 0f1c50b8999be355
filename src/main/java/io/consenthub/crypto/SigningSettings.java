package io.consenthub.crypto;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code consent-hub.signing}: where the hub's signing keyset (Tink, ECDSA P-256) comes from. It
 * signs the ledger's checkpoints; its public half is published at {@code /.well-known/jwks.json}.
 * {@code keyset} is the keyset's JSON itself (normally {@code ${CONSENT_HUB_SIGNING_KEYSET}}),
 * {@code keysetFile} a file holding it; {@code keyset} wins when both are set. {@code generate}, on
 * only in the embedded default, writes a fresh keyset to {@code keysetFile} when it does not exist.
 */
@ConfigurationProperties("consent-hub.signing")
public record SigningSettings(String keyset, String keysetFile, Boolean generate) {

    public SigningSettings {
        generate = generate != null && generate;
    }
}
