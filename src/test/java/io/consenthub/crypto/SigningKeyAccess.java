package io.consenthub.crypto;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.signature.PredefinedSignatureParameters;

import java.security.GeneralSecurityException;

/** Builds the hub's signing key outside a Spring context, for tests of other packages that need it. */
public final class SigningKeyAccess {

    private SigningKeyAccess() {
    }

    /** A signing key with a fresh keyset of its own, given inline as a deployment would give it. */
    public static SigningKey freshKey() {
        try {
            com.google.crypto.tink.signature.SignatureConfig.register();
            String json = TinkJsonProtoKeysetFormat.serializeKeyset(
                    KeysetHandle.generateNew(PredefinedSignatureParameters.ECDSA_P256_IEEE_P1363_WITHOUT_PREFIX), InsecureSecretKeyAccess.get());
            return new SigningKey(new SigningSettings(json, null, false));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not generate a signing keyset", e);
        }
    }
}
