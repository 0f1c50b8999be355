package io.consenthub.crypto;

import org.springframework.jdbc.core.simple.JdbcClient;

import java.nio.file.Path;
import java.time.Clock;

/** Builds the crypto parts outside a Spring context, for tests of other packages that need them. */
public final class ContactKeysAccess {

    private ContactKeysAccess() {
    }

    /** The KEK tests use: generated once into {@code target/test-kek.json}, as {@code HubTest} configures. */
    public static KeyEncryptionKey testKek() {
        return new KeyEncryptionKey(new CryptoSettings(null, Path.of("target/test-kek.json").toString(), true, null));
    }

    /** The index keyset tests use: generated once into {@code target/test-index-key.json}, beside the test KEK. */
    public static IndexKey testIndexKey() {
        return new IndexKey(new CryptoSettings(null, Path.of("target/test-kek.json").toString(), true, null));
    }

    public static ContactKeys keys(JdbcClient jdbc, KeyEncryptionKey kek) {
        return new ContactKeys(jdbc, kek, Clock.systemUTC(), new CryptoSettings(null, null, false, 100));
    }
}
