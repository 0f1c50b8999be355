package io.consenthub.crypto;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.Parameters;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.AeadParameters;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.prf.PredefinedPrfParameters;
import com.google.crypto.tink.prf.PrfConfig;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

/**
 * The keyset commands the README's rotation steps use, so rotating needs nothing but the hub's own
 * jar (Tink's {@code tinkey} does the same where it is installed):
 *
 * <pre>
 *   create &lt;file&gt; kek|index   a new keyset: AES256-GCM for the KEK, HMAC-SHA256 PRF for the index
 *   add-key &lt;file&gt;             add a new primary key of the keyset's kind; the old keys stay
 *   drop-old-keys &lt;file&gt;       keep only the primary (after the rotation job finished)
 *   show &lt;file&gt;                key ids, which is primary, no key material
 * </pre>
 * Run it as {@code java -cp target/consent-hub.jar -Dloader.main=io.consenthub.crypto.KeysetTool
 * org.springframework.boot.loader.launch.PropertiesLauncher add-key data/kek.json}.
 */
public final class KeysetTool {

    private KeysetTool() {
    }

    public static void main(String[] args) throws Exception {
        int status = run(args, System.out);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Runs one command; answers the exit status. */
    public static int run(String[] args, PrintStream out) throws Exception {
        AeadConfig.register();
        PrfConfig.register();
        if (args.length < 2) {
            out.println("usage: create <file> kek|index | add-key <file> | drop-old-keys <file> | show <file>");
            return 2;
        }
        Path file = Path.of(args[1]);
        switch (args[0]) {
            case "create" -> {
                if (Files.exists(file)) {
                    out.println(file + " exists already; not overwritten");
                    return 1;
                }
                Parameters template = args.length > 2 && args[2].equals("index") ? PredefinedPrfParameters.HMAC_SHA256_PRF
                        : PredefinedAeadParameters.AES256_GCM;
                Keysets.write(file, KeysetHandle.generateNew(template));
            }
            case "add-key" -> {
                KeysetHandle handle = read(file);
                Keysets.write(file, Keysets.withNewPrimary(handle, handle.getPrimary().getKey().getParameters()));
            }
            case "drop-old-keys" -> {
                KeysetHandle handle = read(file);
                var builder = KeysetHandle.newBuilder(handle);
                for (int i = builder.size() - 1; i >= 0; i--) {
                    if (!builder.getAt(i).isPrimary()) {
                        builder.deleteAt(i);
                    }
                }
                Keysets.write(file, builder.build());
            }
            case "show" -> { }
            default -> {
                out.println("unknown command '" + args[0] + "'");
                return 2;
            }
        }
        show(read(file), file, out);
        return 0;
    }

    private static KeysetHandle read(Path file) throws java.io.IOException {
        return Keysets.parse(Files.readString(file), "the keyset file " + file);
    }

    private static void show(KeysetHandle handle, Path file, PrintStream out) throws GeneralSecurityException {
        out.println(file + ": " + (handle.getPrimary().getKey().getParameters() instanceof AeadParameters ? "AEAD (KEK)" : "PRF (index)")
                + " keyset of " + handle.size() + " key(s)");
        for (int i = 0; i < handle.size(); i++) {
            out.println("  key " + Integer.toUnsignedString(handle.getAt(i).getId()) + (handle.getAt(i).isPrimary() ? " (primary)" : ""));
        }
    }
}
