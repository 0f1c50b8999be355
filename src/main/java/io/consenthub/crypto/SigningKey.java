package io.consenthub.crypto;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.PublicKeySign;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.signature.EcdsaParameters;
import com.google.crypto.tink.signature.EcdsaPrivateKey;
import com.google.crypto.tink.signature.EcdsaPublicKey;
import com.google.crypto.tink.signature.PredefinedSignatureParameters;
import com.google.crypto.tink.signature.SignatureConfig;
import org.springframework.stereotype.Component;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPublicKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The hub's signing key: a Tink keyset of ECDSA P-256 keys whose primary signs, written as compact
 * JWS (RFC 7515, {@code ES256}) so that anyone can check a signature offline with any JOSE library
 * and the published JWK set ({@link #jwks()}, RFC 7517), without Tink. Each key's {@code kid} is its
 * RFC 7638 thumbprint. A keyset with several keys (rotation) verifies signatures of all of them.
 * Loaded once at start-up from {@link SigningSettings} by the rules every keyset of the hub follows
 * ({@link Keysets}); a missing or unusable keyset stops start-up with a message saying where the hub
 * looked, never the key material.
 */
@Component
public class SigningKey {

    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64URL_DECODER = Base64.getUrlDecoder();

    static {
        try {
            SignatureConfig.register();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Tink signatures could not be registered", e);
        }
    }

    /** One public key as a JWK, with the JCA key that checks its signatures. */
    private record Published(String kid, Map<String, Object> jwk, PublicKey key) {
    }

    private final PublicKeySign signer;
    private final String primaryKid;
    private final Map<String, Published> published;

    SigningKey(SigningSettings settings) {
        KeysetHandle handle = load(settings);
        try {
            this.signer = handle.getPrimitive(RegistryConfiguration.get(), PublicKeySign.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the signing keyset is not a signature keyset; see README 'Signed checkpoints'", e);
        }
        var keys = new LinkedHashMap<String, Published>();
        String primary = null;
        for (int i = 0; i < handle.size(); i++) {
            var entry = handle.getAt(i);
            if (!(entry.getKey() instanceof EcdsaPrivateKey key) || !es256(key.getParameters())) {
                throw new IllegalStateException("the signing keyset must hold ECDSA P-256 keys with IEEE P1363 signatures and no"
                        + " output prefix (Tink ECDSA_P256_IEEE_P1363_WITHOUT_PREFIX), so that its signatures are JWS ES256;"
                        + " see README 'Signed checkpoints'");
            }
            Published p = publish(key.getPublicKey());
            keys.put(p.kid(), p);
            if (entry.isPrimary()) {
                primary = p.kid();
            }
        }
        this.published = Map.copyOf(keys);
        this.primaryKid = primary;
    }

    /** A compact JWS (ES256, signed by the primary key) of {@code payload}, with {@code typ} in its header. */
    public String sign(String typ, byte[] payload) {
        String header = "{\"alg\":\"ES256\",\"kid\":\"" + primaryKid + "\",\"typ\":\"" + typ + "\"}";
        String signingInput = B64URL.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "." + B64URL.encodeToString(payload);
        try {
            return signingInput + "." + B64URL.encodeToString(signer.sign(signingInput.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not sign with the hub's signing key", e);
        }
    }

    /**
     * The payload of a compact JWS whose ES256 signature verifies with one of this keyset's keys
     * (chosen by its {@code kid}); empty when it does not, or is no compact JWS at all.
     */
    public Optional<byte[]> verify(String jws) {
        String[] parts = jws == null ? new String[0] : jws.split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            String header = new String(B64URL_DECODER.decode(parts[0]), StandardCharsets.UTF_8);
            Published key = published.values().stream().filter(p -> header.contains("\"kid\":\"" + p.kid() + "\"")).findFirst()
                    .orElse(null);
            if (key == null || !header.contains("\"alg\":\"ES256\"")) {
                return Optional.empty();
            }
            Signature check = Signature.getInstance("SHA256withECDSAinP1363Format");
            check.initVerify(key.key());
            check.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            return check.verify(B64URL_DECODER.decode(parts[2])) ? Optional.of(B64URL_DECODER.decode(parts[1])) : Optional.empty();
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The public keys as a JWK set ({@code {"keys": [...]}}), for {@code /.well-known/jwks.json}. */
    public Map<String, Object> jwks() {
        return Map.of("keys", published.values().stream().map(Published::jwk).toList());
    }

    /** The kid of the key that signs now. */
    public String keyId() {
        return primaryKid;
    }

    private static boolean es256(EcdsaParameters p) {
        return p.getCurveType() == EcdsaParameters.CurveType.NIST_P256 && p.getHashType() == EcdsaParameters.HashType.SHA256
                && p.getSignatureEncoding() == EcdsaParameters.SignatureEncoding.IEEE_P1363
                && p.getVariant() == EcdsaParameters.Variant.NO_PREFIX;
    }

    private static Published publish(EcdsaPublicKey key) {
        String x = B64URL.encodeToString(unsigned32(key.getPublicPoint().getAffineX()));
        String y = B64URL.encodeToString(unsigned32(key.getPublicPoint().getAffineY()));
        // RFC 7638: the thumbprint hashes the required members in lexicographic order, no spaces.
        String canonical = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + x + "\",\"y\":\"" + y + "\"}";
        try {
            String kid = B64URL.encodeToString(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
            var jwk = new LinkedHashMap<String, Object>();
            jwk.put("kty", "EC");
            jwk.put("crv", "P-256");
            jwk.put("x", x);
            jwk.put("y", y);
            jwk.put("kid", kid);
            jwk.put("alg", "ES256");
            jwk.put("use", "sig");
            AlgorithmParameters curve = AlgorithmParameters.getInstance("EC");
            curve.init(new ECGenParameterSpec("secp256r1"));
            PublicKey jca = KeyFactory.getInstance("EC").generatePublic(
                    new ECPublicKeySpec(key.getPublicPoint(), curve.getParameterSpec(ECParameterSpec.class)));
            return new Published(kid, Map.copyOf(jwk), jca);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not publish the signing key", e);
        }
    }

    /** A coordinate as the 32 big-endian bytes a P-256 JWK carries. */
    private static byte[] unsigned32(BigInteger value) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[32];
        int copy = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - copy, out, 32 - copy, copy);
        return out;
    }

    static KeysetHandle load(SigningSettings settings) {
        return Keysets.load(new Keysets.Source("signing keyset", settings.keyset(),
                "consent-hub.signing.keyset (CONSENT_HUB_SIGNING_KEYSET)", settings.keysetFile(),
                "consent-hub.signing.keyset-file (CONSENT_HUB_SIGNING_KEYSET_FILE)", settings.generate(),
                PredefinedSignatureParameters.ECDSA_P256_IEEE_P1363_WITHOUT_PREFIX));
    }
}
