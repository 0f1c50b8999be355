package io.consenthub.partner;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The partners a contact's data may be shared with ({@code config/partners.yaml}), keyed by partner
 * id. A map rather than a list so a profile can switch one partner off without restating the rest.
 *
 * @param plainHttpToLoopback whether a partner URL may be plain HTTP to a loopback address (the
 *                            embedded default's demo partner); never anything else over plain HTTP
 * @param batchSize           messages claimed per delivery poll
 */
@ConfigurationProperties("consent-hub.partner-sharing")
public record PartnerSettings(Map<String, Partner> partners, boolean plainHttpToLoopback, int batchSize,
                              DevPartner devPartner) {

    public PartnerSettings {
        partners = partners == null ? Map.of() : new LinkedHashMap<>(partners);
        batchSize = batchSize <= 0 ? 50 : batchSize;
        devPartner = devPartner == null ? new DevPartner(false) : devPartner;
    }

    /**
     * One partner.
     *
     * @param url              its webhook; placeholders still unresolved at start-up (such as
     *                         {@code ${local.server.port}}) are resolved at delivery
     * @param purposes         the custom purposes (each naming this partner) whose consent allows sharing
     * @param attributes       what it may receive: {@code email} and contact attributes
     * @param sensitiveAllowed the sensitive fields among {@code attributes} it is explicitly allowed
     * @param timeout          how long one call may take (the revocation fence of the contact is held meanwhile)
     */
    public record Partner(Boolean enabled, String url, List<String> purposes, List<String> attributes,
                          List<String> sensitiveAllowed, Signing signing, Duration timeout, Duration connectTimeout,
                          Retry retry, Circuit circuit) {

        public Partner {
            enabled = enabled == null || enabled;
            purposes = purposes == null ? List.of() : List.copyOf(purposes);
            attributes = attributes == null ? List.of() : List.copyOf(attributes);
            sensitiveAllowed = sensitiveAllowed == null ? List.of() : List.copyOf(sensitiveAllowed);
            signing = signing == null ? new Signing(null, null) : signing;
            timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
            connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
            retry = retry == null ? new Retry(null, null, 0) : retry;
            circuit = circuit == null ? new Circuit(0, null) : circuit;
        }

        public boolean isEnabled() {
            return enabled;
        }
    }

    /**
     * How payloads are signed (Standard Webhooks). Every payload carries the symmetric {@code v1}
     * signature; with a key store it carries the asymmetric {@code v1a} (Ed25519) signature too, so a
     * partner can verify with the hub's public key alone and never holds a secret that could forge.
     *
     * @param secret  {@code whsec_} and the base64 of 24 to 64 random bytes, from an environment
     *                placeholder; empty only while the dev partner runs (then generated at start-up)
     * @param keyStore optional: the key store holding the hub's Ed25519 signing key for this partner
     */
    public record Signing(String secret, KeyStoreRef keyStore) {
        @Override
        public String toString() {
            return "Signing[secret=" + (secret == null || secret.isBlank() ? "none" : "set") + ", keyStore=" + keyStore + "]";
        }
    }

    /**
     * An Ed25519 private key in a key store (PKCS12 by default), as {@code keytool -genkeypair
     * -keyalg Ed25519} writes it.
     *
     * @param path     the key store file
     * @param password the store's (and the key's) password, from an environment placeholder
     * @param alias    the key's alias
     * @param type     the key store type (PKCS12, JKS)
     */
    public record KeyStoreRef(String path, String password, String alias, String type) {
        public KeyStoreRef {
            type = type == null || type.isBlank() ? "PKCS12" : type;
        }

        @Override
        public String toString() {
            return "KeyStore[path=" + path + ", alias=" + alias + ", type=" + type + ", password=" + (password == null ? "none" : "set") + "]";
        }
    }

    /**
     * Retries of a failed call: the first after {@code initialBackoff}, doubling up to {@code maxBackoff}.
     *
     * @param maxAttempts after how many attempts a share is given up (0: never); a revocation notice is never given up
     */
    public record Retry(Duration initialBackoff, Duration maxBackoff, int maxAttempts) {
        public Retry {
            initialBackoff = initialBackoff == null ? Duration.ofSeconds(1) : initialBackoff;
            maxBackoff = maxBackoff == null ? Duration.ofMinutes(5) : maxBackoff;
            maxAttempts = Math.max(maxAttempts, 0);
        }

        Duration after(int attempts) {
            long factor = 1L << Math.min(Math.max(attempts - 1, 0), 20);
            Duration backoff = initialBackoff.multipliedBy(factor);
            return backoff.compareTo(maxBackoff) > 0 ? maxBackoff : backoff;
        }
    }

    /**
     * The circuit of one partner on one member: after {@code failures} failed calls in a row nothing
     * is sent to it for {@code openFor}, then one call tries again.
     */
    public record Circuit(int failures, Duration openFor) {
        public Circuit {
            failures = failures <= 0 ? 5 : failures;
            openFor = openFor == null ? Duration.ofSeconds(30) : openFor;
        }
    }

    /** The embedded default's demo partner, a loopback endpoint inside the hub listing what it received at {@code /dev/partner}. */
    public record DevPartner(boolean enabled) {
    }
}
