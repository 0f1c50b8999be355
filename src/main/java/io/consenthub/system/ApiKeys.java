package io.consenthub.system;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The API keys this hub accepts, held only as SHA-256 hashes. A presented key is hashed and
 * looked up; plaintext keys are never kept in memory past start-up.
 */
@Component
public class ApiKeys {

    private static final Logger log = LoggerFactory.getLogger(ApiKeys.class);
    private static final Pattern HEX_64 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final int MIN_KEY_LENGTH = 24;
    /** The development key file's extra USER key that may reveal card numbers (the demo's billing desk). */
    static final String BILLING_KEY = "BILLING_KEY";

    /** A matched key: its configured name and role, and the sensitive fields it may reveal. */
    public record Holder(String name, ApiRole role, java.util.Set<String> reveal) {
        public Holder {
            reveal = reveal == null ? java.util.Set.of() : java.util.Set.copyOf(reveal);
        }
    }

    private final Map<String, Holder> byHash = new HashMap<>();
    private final Map<String, Holder> byName = new HashMap<>();

    ApiKeys(ApiSettings settings) {
        List<ApiSettings.Key> keys = settings.keys();
        if (keys.isEmpty() && settings.devKeyFile() != null && !settings.devKeyFile().isBlank()) {
            keys = devKeys(Path.of(settings.devKeyFile()));
        }
        var problems = new ArrayList<String>();
        for (ApiSettings.Key key : keys) {
            String where = "consent-hub.api.keys '" + key.name() + "'";
            if (key.name() == null || key.name().isBlank() || key.role() == null) {
                problems.add(where + ": name and role (ADMIN, USER, CRM, WEBFORM) are required");
                continue;
            }
            String hash;
            if (key.sha256() != null && !key.sha256().isBlank()) {
                if (!HEX_64.matcher(key.sha256()).matches()) {
                    problems.add(where + ": sha256 must be 64 hex characters (sha256sum of the key)");
                    continue;
                }
                hash = key.sha256().toLowerCase();
            } else if (key.key() != null && key.key().length() >= MIN_KEY_LENGTH) {
                hash = sha256(key.key());
            } else {
                problems.add(where + ": give sha256, or key (at least " + MIN_KEY_LENGTH + " characters, from an environment variable)");
                continue;
            }
            var holder = new Holder(key.name(), key.role(), new java.util.HashSet<>(key.reveal()));
            if (byHash.putIfAbsent(hash, holder) != null) {
                problems.add(where + ": the same key is configured twice");
            } else if (byName.putIfAbsent(key.name(), holder) != null) {
                problems.add(where + ": two keys have this name (names identify keys in the field access log)");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("API key configuration is invalid:\n  - " + String.join("\n  - ", problems));
        }
        if (byHash.isEmpty()) {
            log.warn("No API keys are configured (consent-hub.api.keys): every /api call will be refused with 401");
        }
    }

    /** The configured key of this name (the name the security filter hands to routes). */
    public Optional<Holder> named(String name) {
        return Optional.ofNullable(name == null ? null : byName.get(name));
    }

    /** Every configured key, for start-up checks of what they name. */
    public java.util.Collection<Holder> all() {
        return java.util.List.copyOf(byName.values());
    }

    public Optional<Holder> match(String presented) {
        if (presented == null || presented.isBlank()) {
            return Optional.empty();
        }
        return Optional.ofNullable(byHash.get(sha256(presented.trim())));
    }

    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static List<ApiSettings.Key> devKeys(Path file) {
        try {
            if (!Files.exists(file)) {
                writeDevKeys(file);
                log.warn("Generated development API keys in {} (one per role). Load them with: source {}", file, file);
            } else {
                log.info("Using development API keys from {}", file);
            }
            var props = new Properties();
            try (var reader = Files.newBufferedReader(file)) {
                props.load(reader);
            }
            var keys = new ArrayList<ApiSettings.Key>();
            for (ApiRole role : ApiRole.values()) {
                String value = props.getProperty(role.name() + "_KEY");
                if (value != null) {
                    keys.add(new ApiSettings.Key("dev-" + role.name().toLowerCase(), role, value, null));
                }
            }
            String billing = props.getProperty(BILLING_KEY);
            if (billing == null) {
                billing = newKey();
                Files.writeString(file, "# A USER key that may also reveal card numbers (README, Sensitive fields)\n"
                        + BILLING_KEY + "=" + billing + "\n", java.nio.file.StandardOpenOption.APPEND);
            }
            keys.add(new ApiSettings.Key("dev-billing", ApiRole.USER, billing, null, List.of("cardNumber")));
            return keys;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read or write the development API key file " + file, e);
        }
    }

    private static String newKey() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void writeDevKeys(Path file) throws IOException {
        var text = new StringBuilder("# Consent Hub development API keys, generated at first start. Delete this file to rotate them.\n");
        for (ApiRole role : ApiRole.values()) {
            text.append(role.name()).append("_KEY=").append(newKey()).append('\n');
        }
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        Files.writeString(file, text);
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }
}
