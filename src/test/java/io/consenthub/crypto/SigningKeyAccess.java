package io.consenthub.crypto;

/** Builds the hub's signing key outside a Spring context, for tests of other packages that need it. */
public final class SigningKeyAccess {

    private SigningKeyAccess() {
    }

    /** A signing key with a fresh keyset of its own. */
    public static SigningKey freshKey() {
        return new SigningKey(new SigningSettings(SigningKey.newKeysetJson(), null, false));
    }
}
