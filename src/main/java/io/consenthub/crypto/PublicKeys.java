package io.consenthub.crypto;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/**
 * Publishes the hub's public signing keys as a JWK set at the conventional address, without an API
 * key: an auditor who keeps copies of the ledger's checkpoints checks their signatures offline with
 * any JOSE library against this set.
 */
@RestController
class PublicKeys {

    private final SigningKey key;

    PublicKeys(SigningKey key) {
        this.key = key;
    }

    @GetMapping(value = "/.well-known/jwks.json", produces = "application/jwk-set+json")
    Map<String, Object> jwks() {
        return key.jwks();
    }
}
