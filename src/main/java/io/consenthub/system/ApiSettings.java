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

    /**
     * One configured API key. {@code reveal} names the sensitive fields this key may reveal in
     * plaintext (with a reason, logged); roles grant no reveal on their own.
     */
    public record Key(String name, ApiRole role, String key, String sha256, List<String> reveal) {

        @org.springframework.boot.context.properties.bind.ConstructorBinding
        public Key {
            reveal = reveal == null ? List.of() : List.copyOf(reveal);
        }

        public Key(String name, ApiRole role, String key, String sha256) {
            this(name, role, key, sha256, List.of());
        }
    }
}
