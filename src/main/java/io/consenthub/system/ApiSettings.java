package io.consenthub.system;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * API keys from config. A key is given either as {@code sha256} (hex of the key, preferred: the
 * config then holds no secret) or as {@code key} from an environment placeholder, which is hashed
 * at start-up and not kept. {@code devKeyFile}, set only in the embedded default profile, makes
 * the hub generate one key per role into that file when no keys are configured.
 */
@ConfigurationProperties("consent-hub.api")
public record ApiSettings(List<Key> keys, String devKeyFile) {

    public ApiSettings {
        keys = keys == null ? List.of() : List.copyOf(keys);
    }

    /** One configured API key. */
    public record Key(String name, ApiRole role, String key, String sha256) {
    }
}
