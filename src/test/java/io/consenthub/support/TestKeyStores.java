package io.consenthub.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PublicKey;

/**
 * Key stores made the way the README tells an operator to make them: with the JDK's
 * {@code keytool -genkeypair}, run as a process.
 */
public final class TestKeyStores {

    public static final String PASSWORD = "test-store-password";

    private TestKeyStores() {
    }

    /** Writes (once) a PKCS12 store holding a key pair of {@code algorithm} under {@code alias}. */
    public static synchronized Path create(String name, String algorithm, String alias) {
        Path store = Path.of("target", name + ".p12").toAbsolutePath();
        if (Files.exists(store)) {
            return store;
        }
        try {
            Files.createDirectories(store.getParent());
            Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair", "-keyalg", algorithm, "-alias", alias, "-dname", "CN=consent-hub-test",
                    "-validity", "30", "-storetype", "PKCS12", "-keystore", store.toString(),
                    "-storepass", PASSWORD, "-keypass", PASSWORD).redirectErrorStream(true).start();
            String output = new String(keytool.getInputStream().readAllBytes());
            if (keytool.waitFor() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The (self-signed) certificate under {@code alias}, as an operator would upload it to a Salesforce Connected App. */
    public static java.security.cert.Certificate certificate(Path store, String alias) {
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(in, PASSWORD.toCharArray());
            return keys.getCertificate(alias);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + store, e);
        }
    }

    /** The public key in the store's certificate under {@code alias}, read with the JDK alone. */
    public static PublicKey publicKey(Path store, String alias) {
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(in, PASSWORD.toCharArray());
            return keys.getCertificate(alias).getPublicKey();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + store, e);
        }
    }
}
