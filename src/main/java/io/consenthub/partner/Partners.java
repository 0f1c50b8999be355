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

    Partners(PartnerSettings settings) {
        this.partners = settings.partners();
        partners.forEach((id, partner) -> {
            String secret = partner.signing().secret();
            secrets.put(id, secret == null || secret.isBlank() ? WebhookSignature.newSecret() : secret.trim());
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

    /** The partner's signing secret: never logged, never in an answer. */
    String secret(String id) {
        return secrets.get(id);
    }
}
