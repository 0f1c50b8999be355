package io.consenthub.links;

import java.time.Instant;

/** A freshly issued token: the secret that goes into the link (never stored) and its expiry. */
public record IssuedToken(String token, Instant expiresAt) {
}
