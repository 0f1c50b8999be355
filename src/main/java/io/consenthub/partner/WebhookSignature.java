package io.consenthub.partner;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * Standard Webhooks signatures, scheme {@code v1} (HMAC-SHA256 over {@code id.timestamp.body} with
 * the partner's {@code whsec_} secret) and the verification of scheme {@code v1a} (Ed25519 over the
 * same content, with the hub's {@code whpk_} public key; the hub signs those with camel-crypto's
 * {@code crypto:sign} in the delivery route), so a partner verifies the hub's calls with any
 * Standard Webhooks library. Pure functions: the partner delivery signs with them, the dev partner
 * and the tests verify with them.
 */
public final class WebhookSignature {

    public static final String SECRET_PREFIX = "whsec_";
    /** How far a timestamp may be from the verifier's clock, as the Standard Webhooks libraries allow. */
    public static final Duration TOLERANCE = Duration.ofMinutes(5);

    private WebhookSignature() {
    }

    /** The {@code webhook-signature} header value for one call. */
    public static String sign(String secret, String id, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key(secret), "HmacSHA256"));
            byte[] digest = mac.doFinal(signedContent(id, timestamp, body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    /**
     * Whether a call carries a valid signature: one of the space-separated {@code v1,} signatures
     * matches (compared in constant time) and the timestamp is within {@link #TOLERANCE} of {@code now}.
     */
    public static boolean verify(String secret, String id, String timestamp, String signatures, String body, Instant now) {
        if (id == null || signatures == null || body == null) {
            return false;
        }
        var seconds = timely(timestamp, now);
        if (seconds.isEmpty()) {
            return false;
        }
        byte[] expected = sign(secret, id, seconds.getAsLong(), body).getBytes(StandardCharsets.US_ASCII);
        for (String candidate : signatures.trim().split(" +")) {
            if (MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.US_ASCII))) {
                return true;
            }
        }
        return false;
    }

    /** What both schemes sign: {@code id.timestamp.body}. */
    public static String signedContent(String id, long timestamp, String body) {
        return id + "." + timestamp + "." + body;
    }

    /**
     * Whether a call carries a valid {@code v1a} signature: one of the space-separated {@code v1a,}
     * signatures verifies with the {@code whpk_} Ed25519 public key, and the timestamp is within
     * {@link #TOLERANCE} of {@code now}.
     */
    public static boolean verifyAsymmetric(String publicKey, String id, String timestamp, String signatures, String body, Instant now) {
        if (publicKey == null || id == null || signatures == null || body == null) {
            return false;
        }
        var seconds = timely(timestamp, now);
        if (seconds.isEmpty()) {
            return false;
        }
        try {
            byte[] raw = Base64.getDecoder().decode(publicKey.substring(publicKey.indexOf('_') + 1));
            var key = java.security.KeyFactory.getInstance("Ed25519").generatePublic(new java.security.spec.X509EncodedKeySpec(
                    concat(ED25519_X509_PREFIX, raw)));
            byte[] content = signedContent(id, seconds.getAsLong(), body).getBytes(StandardCharsets.UTF_8);
            for (String candidate : signatures.trim().split(" +")) {
                if (candidate.startsWith("v1a,")) {
                    var verifier = java.security.Signature.getInstance("Ed25519");
                    verifier.initVerify(key);
                    verifier.update(content);
                    if (verifier.verify(Base64.getDecoder().decode(candidate.substring(4)))) {
                        return true;
                    }
                }
            }
            return false;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** The timestamp in seconds, if it is a number within {@link #TOLERANCE} of {@code now}. */
    private static java.util.OptionalLong timely(String timestamp, Instant now) {
        if (timestamp == null) {
            return java.util.OptionalLong.empty();
        }
        try {
            long seconds = Long.parseLong(timestamp.trim());
            return Math.abs(now.getEpochSecond() - seconds) > TOLERANCE.toSeconds() ? java.util.OptionalLong.empty()
                    : java.util.OptionalLong.of(seconds);
        } catch (NumberFormatException e) {
            return java.util.OptionalLong.empty();
        }
    }

    /** The DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410). */
    private static final byte[] ED25519_X509_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    /** A new random secret in the {@code whsec_} format (32 bytes). */
    public static String newSecret() {
        byte[] bytes = new byte[32];
        new java.security.SecureRandom().nextBytes(bytes);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(bytes);
    }

    private static byte[] key(String secret) {
        String encoded = secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
        return Base64.getDecoder().decode(encoded);
    }
}
