package io.consenthub.preference;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.Map;

/**
 * {@code consent-hub.preferences}: who may use the whole preference page (others see only their
 * email preferences), who is told about it and the policy text shown on it. Link lifetimes are in
 * {@code consent-hub.email}, where the links are made; rate limits in {@code consent-hub.links}.
 *
 * @param accessCondition  expression on contact attributes, e.g. {@code region == 'EU'}; empty = everyone
 * @param notifyCondition  who receives the one email announcing the page; empty = nobody
 * @param policy           the data-use policy text per language tag ("en" required)
 */
@ConfigurationProperties("consent-hub.preferences")
public record PreferenceSettings(String accessCondition, String notifyCondition, Map<String, String> policy) {

    public PreferenceSettings {
        policy = policy == null ? Map.of() : Map.copyOf(policy);
    }

    public String policy(String language) {
        return policy.getOrDefault(language, policy.getOrDefault("en", ""));
    }
}
