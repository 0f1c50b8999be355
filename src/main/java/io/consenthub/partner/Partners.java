package io.consenthub.partner;

import io.consenthub.shared.NotFoundException;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The configured partners and their signing secrets. A partner without a secret is allowed only
 * while the dev partner runs (the embedded default): its secret is then generated at start-up and
 * known only to this process, so nothing signed with it can be forged from outside.
 */
@Component
public class Partners {

    private final Map<String, PartnerSettings.Partner> partners;
    private final Map<String, String> secrets = new LinkedHashMap<>();
    private final Map<String, SigningKey> keys = new LinkedHashMap<>();

    Partners(PartnerSettings settings) {
        this.partners = settings.partners();
        partners.forEach((id, partner) -> {
            String secret = partner.signing().secret();
            secrets.put(id, secret == null || secret.isBlank() ? WebhookSignature.newSecret() : secret.trim());
            if (partner.signing().keyStore() != null && partner.isEnabled()) {
                try {
                    keys.put(id, SigningKey.load(partner.signing().keyStore()));
                } catch (IllegalArgumentException e) {
                    // PartnerConfigCheck lists the problem and refuses start-up
                }
            }
        });
    }

    public Set<String> ids() {
        return partners.keySet();
    }

    public Optional<PartnerSettings.Partner> find(String id) {
        return Optional.ofNullable(partners.get(id));
    }

    public PartnerSettings.Partner require(String id) {
        return find(id).orElseThrow(() -> new NotFoundException("no partner '" + id + "'; configured: " + partners.keySet()));
    }

    /** The partner's Ed25519 key for {@code v1a} signatures, when its config names a key store. */
    Optional<SigningKey> signingKey(String id) {
        return Optional.ofNullable(keys.get(id));
    }

    /** The signature schemes a partner's payloads carry: always {@code v1}, and {@code v1a} with a key store. */
    public java.util.List<String> schemes(String id) {
        return keys.containsKey(id) ? java.util.List.of("v1", "v1a") : java.util.List.of("v1");
    }

    /** The public key a partner verifies {@code v1a} signatures with ({@code whpk_…}), if it has one. */
    public Optional<String> publicKey(String id) {
        return signingKey(id).map(SigningKey::publicKey);
    }

    /** The partner's signing secret: never logged, never in an answer. */
    String secret(String id) {
        return secrets.get(id);
    }
}
