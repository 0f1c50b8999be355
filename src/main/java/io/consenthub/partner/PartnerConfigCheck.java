package io.consenthub.partner;

import io.consenthub.consent.Purpose;
import io.consenthub.consent.PurposeCatalog;
import io.consenthub.consent.PurposeKind;
import io.consenthub.crm.CrmSettings;
import io.consenthub.fields.SensitiveFields;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Checks {@code config/partners.yaml} once, at start-up, and refuses to start with every problem
 * listed: a partner that would receive a field the hub does not hold, a sensitive field nobody
 * explicitly allowed, or a purpose that is not this partner's, is a leak or a silent no-op waiting to happen.
 */
@Component
class PartnerConfigCheck implements InitializingBean {

    static final String PREFIX = "consent-hub.partner-sharing.partners";
    private static final Pattern PARTNER_ID = Pattern.compile("[a-z][a-z0-9-]{0,62}");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{[^}]*}");
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]", "::1");

    private final PartnerSettings settings;
    private final PurposeCatalog catalog;
    private final SensitiveFields sensitive;
    private final CrmSettings crm;
    private final Environment environment;

    PartnerConfigCheck(PartnerSettings settings, PurposeCatalog catalog, SensitiveFields sensitive, CrmSettings crm,
                       Environment environment) {
        this.settings = settings;
        this.catalog = catalog;
        this.sensitive = sensitive;
        this.crm = crm;
        this.environment = environment;
    }

    @Override
    public void afterPropertiesSet() {
        List<String> problems = problems();
        if (!problems.isEmpty()) {
            throw new IllegalStateException("the partner configuration is invalid:\n  - " + String.join("\n  - ", problems));
        }
    }

    List<String> problems() {
        var problems = new ArrayList<String>();
        Set<String> known = knownFields();
        settings.partners().forEach((id, partner) -> {
            String at = PREFIX + "." + id + ".";
            if (!PARTNER_ID.matcher(id).matches()) {
                problems.add(PREFIX + "." + id + ": a partner id is lower-case letters, digits and '-', starting with a letter");
            }
            if (partner.isEnabled()) {
                // a disabled partner is never sent a share; its URL and secret are checked once it is enabled
                urlProblem(partner.url()).ifPresent(p -> problems.add(at + "url: " + p));
                secretProblem(partner.signing().secret()).ifPresent(p -> problems.add(at + "signing.secret: " + p));
                if (partner.signing().keyStore() != null) {
                    try {
                        SigningKey.load(partner.signing().keyStore());
                    } catch (IllegalArgumentException e) {
                        problems.add(at + "signing.key-store: " + e.getMessage());
                    }
                }
            }
            if (partner.purposes().isEmpty()) {
                problems.add(at + "purposes: name at least one custom purpose (with partner: " + id + ") whose consent allows sharing");
            }
            for (String purposeId : partner.purposes()) {
                var purpose = catalog.find(purposeId);
                if (purpose.isEmpty()) {
                    problems.add(at + "purposes: unknown purpose '" + purposeId + "'; configured: "
                            + catalog.all().stream().map(Purpose::id).toList());
                } else if (purpose.get().kind() != PurposeKind.CUSTOM || !id.equals(purpose.get().partner())) {
                    problems.add(at + "purposes: '" + purposeId + "' must be a custom purpose with partner: " + id
                            + " (in config/consents.yaml)");
                }
            }
            if (partner.attributes().isEmpty()) {
                problems.add(at + "attributes: name what the partner may receive (e.g. email, firstName)");
            }
            for (String field : partner.attributes()) {
                if (!known.contains(field)) {
                    problems.add(at + "attributes: '" + field + "' is not a field of the hub; known: " + known);
                } else if (sensitive.isSensitive(field) && !partner.sensitiveAllowed().contains(field)) {
                    problems.add(at + "attributes: '" + field + "' is a sensitive field; list it under sensitive-allowed too"
                            + " to share it in plaintext");
                }
            }
            for (String field : partner.sensitiveAllowed()) {
                if (!sensitive.isSensitive(field)) {
                    problems.add(at + "sensitive-allowed: '" + field + "' is not a sensitive field; sensitive: " + sensitive.names());
                } else if (!partner.attributes().contains(field)) {
                    problems.add(at + "sensitive-allowed: '" + field + "' is not among the partner's attributes");
                }
            }
            durationProblem(partner.timeout(), Duration.ofMinutes(1)).ifPresent(p -> problems.add(at + "timeout: " + p));
            durationProblem(partner.connectTimeout(), Duration.ofMinutes(1)).ifPresent(p -> problems.add(at + "connect-timeout: " + p));
            if (partner.retry().initialBackoff().isNegative() || partner.retry().initialBackoff().isZero()
                    || partner.retry().maxBackoff().compareTo(partner.retry().initialBackoff()) < 0) {
                problems.add(at + "retry: initial-backoff must be positive and max-backoff at least as long");
            }
        });
        for (Purpose purpose : catalog.all()) {
            if (purpose.partner() != null && !settings.partners().containsKey(purpose.partner())) {
                problems.add("consent-hub.consents: purpose '" + purpose.id() + "' names partner '" + purpose.partner()
                        + "', which config/partners.yaml does not declare; declared: " + settings.partners().keySet());
            } else if (purpose.partner() != null && !settings.partners().get(purpose.partner()).purposes().contains(purpose.id())) {
                problems.add(PREFIX + "." + purpose.partner() + ".purposes: does not list '" + purpose.id()
                        + "', which names this partner in config/consents.yaml");
            }
        }
        return problems;
    }

    /** Fields a partner may be given: the primary email, the language, and every attribute a CRM connector maps or a sensitive field. */
    private Set<String> knownFields() {
        var known = new TreeSet<>(List.of(PartnerPayloads.EMAIL, PartnerPayloads.LANGUAGE));
        known.addAll(sensitive.names());
        crm.connectors().values().forEach(connector -> {
            known.addAll(connector.attributes().keySet());
            if (connector.salesforce() != null) {
                connector.salesforce().objects().values().forEach(o -> known.addAll(o.attributes().keySet()));
            }
        });
        return known;
    }

    private java.util.Optional<String> urlProblem(String configured) {
        if (configured == null || configured.isBlank()) {
            return java.util.Optional.of("required: the partner's webhook URL");
        }
        URI uri;
        try {
            uri = URI.create(PLACEHOLDER.matcher(environment.resolvePlaceholders(configured)).replaceAll("1"));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.of("not a URL");
        }
        if (uri.getHost() == null) {
            return java.util.Optional.of("not an absolute http(s) URL");
        }
        if ("https".equals(uri.getScheme())) {
            return java.util.Optional.empty();
        }
        if ("http".equals(uri.getScheme()) && LOOPBACK.contains(uri.getHost())) {
            return settings.plainHttpToLoopback() ? java.util.Optional.empty()
                    : java.util.Optional.of("plain HTTP is allowed to loopback in the embedded default only; use https");
        }
        return java.util.Optional.of("must be https (plain HTTP only to a loopback address, in the embedded default)");
    }

    private java.util.Optional<String> secretProblem(String secret) {
        if (secret == null || secret.isBlank()) {
            return settings.devPartner().enabled() ? java.util.Optional.empty()
                    : java.util.Optional.of("required (whsec_ and base64 of 24 to 64 random bytes, from an environment placeholder)");
        }
        if (!secret.startsWith(WebhookSignature.SECRET_PREFIX)) {
            return java.util.Optional.of("must start with whsec_ (the Standard Webhooks secret format)");
        }
        try {
            int length = Base64.getDecoder().decode(secret.substring(WebhookSignature.SECRET_PREFIX.length())).length;
            return length >= 24 && length <= 64 ? java.util.Optional.empty()
                    : java.util.Optional.of("must hold 24 to 64 bytes; holds " + length);
        } catch (IllegalArgumentException e) {
            return java.util.Optional.of("after whsec_ must come base64");
        }
    }

    private static java.util.Optional<String> durationProblem(Duration value, Duration max) {
        return value.isNegative() || value.isZero() || value.compareTo(max) > 0
                ? java.util.Optional.of("must be positive and at most " + max.toSeconds() + "s")
                : java.util.Optional.empty();
    }
}
