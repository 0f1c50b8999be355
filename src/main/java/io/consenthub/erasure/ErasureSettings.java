package io.consenthub.erasure;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.ZoneId;

/**
 * Erasure settings ({@code consent-hub.erasure}).
 *
 * @param zone the controller's time zone, whose calendar days count the one-month deadline (default UTC)
 */
@ConfigurationProperties("consent-hub.erasure")
public record ErasureSettings(ZoneId zone) {

    public ErasureSettings {
        zone = zone == null ? ZoneId.of("UTC") : zone;
    }
}
