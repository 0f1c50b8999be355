package io.consenthub.consent;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.List;

/** The {@code consent-hub.consents} list, read from {@code config/consents.yaml}. */
@ConfigurationProperties("consent-hub")
public record ConsentSettings(List<Purpose> consents) {

    public ConsentSettings {
        consents = consents == null ? List.of() : List.copyOf(consents);
    }
}
