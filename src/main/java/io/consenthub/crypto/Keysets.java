package io.consenthub.crypto;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.Parameters;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;

/**
 * Loading, generating and rotating the hub's keysets (Tink JSON). One place, so the KEK and the
 * index keyset follow the same rules: inline JSON wins over a file, a missing file is generated
 * only where allowed (the embedded default), and no message ever quotes key material.
 */
final class Keysets {

    private static final Logger log = LoggerFactory.getLogger(Keysets.class);
    static final String HOW_TO = "see README 'Keys: evidence, sensitive fields, rotation'";

    private Keysets() {
    }

    /** Where one keyset comes from: its name in messages, the settings keys and env variables that give it. */
    record Source(String what, String inline, String inlineName, String file, String fileName, boolean generate,
                  Parameters template) {
    }

    static KeysetHandle load(Source source) {
        if (source.inline() != null && !source.inline().isBlank()) {
            return parse(source.inline(), source.inlineName());
        }
        String problem;
        if (source.file() == null || source.file().isBlank()) {
            problem = "neither " + source.inlineName() + " nor " + source.fileName() + " is set";
        } else {
            Path path = Path.of(source.file());
            try {
                if (Files.exists(path)) {
                    return parse(Files.readString(path), "the " + source.what() + " file " + path);
                }
                if (source.generate()) {
                    write(path, KeysetHandle.generateNew(source.template()));
                    log.warn("Generated the {} in {}: keep it with the database's backups, without it nothing it protects can be read",
                            source.what(), path);
                    return parse(Files.readString(path), "the " + source.what() + " file " + path);
                }
                problem = "the " + source.what() + " file " + path.toAbsolutePath() + " does not exist";
            } catch (IOException e) {
                throw new UncheckedIOException("could not read or write the " + source.what() + " file " + path, e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("could not generate the " + source.what(), e);
            }
        }
        throw new IllegalStateException("No " + source.what() + ": " + problem + ". Give a Tink keyset (JSON) through "
                + source.inlineName() + " or a file through " + source.fileName() + "; " + HOW_TO);
    }

    static KeysetHandle parse(String json, String where) {
        try {
            return TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get());
        } catch (GeneralSecurityException | RuntimeException e) {
            // The message deliberately omits the text: it is key material.
            throw new IllegalStateException(where + " does not hold a Tink keyset in JSON; " + HOW_TO);
        }
    }

    /** The keyset with one more key, made primary; the old keys stay so what they protect still opens. */
    static KeysetHandle withNewPrimary(KeysetHandle handle, Parameters template) throws GeneralSecurityException {
        return KeysetHandle.newBuilder(handle)
                .addEntry(KeysetHandle.generateEntryFromParameters(template).withRandomId().makePrimary())
                .build();
    }

    /** Writes a keyset to {@code path}, readable by the owner only where the file system allows it. */
    static void write(Path path, KeysetHandle handle) throws IOException, GeneralSecurityException {
        String json = TinkJsonProtoKeysetFormat.serializeKeyset(handle, InsecureSecretKeyAccess.get());
        if (path.toAbsolutePath().getParent() != null) {
            Files.createDirectories(path.toAbsolutePath().getParent());
        }
        Path temp = path.resolveSibling(path.getFileName() + ".tmp");
        Files.writeString(temp, json);
        if (temp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
        }
        Files.move(temp, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
