package io.consenthub.erasure;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;

/**
 * Erasure settings ({@code consent-hub.erasure}).
 *
 * @param zone             the controller's time zone, whose calendar days count the one-month deadline (default UTC)
 * @param gracePeriod      when set, an erasure request older than this is carried out by the hub itself;
 *                         unset (the default): only an admin's {@code POST /api/contacts/{id}/erasure} starts it
 * @param partnerWait      how long the job waits for partners to acknowledge their revocation notices before it
 *                         goes on without them (the certificate then names the partners still owing one)
 * @param retryAfter       how long a failed step waits before it is tried again
 * @param nameAttributes   the attributes that hold names, looked for by the final scan (word by word)
 * @param phoneAttributes  the attributes that hold phone numbers, looked for by the final scan (digits)
 * @param logFiles         log files the final scan reads too (the hub's own {@code logging.file.name} is added)
 */
@ConfigurationProperties("consent-hub.erasure")
public record ErasureSettings(ZoneId zone, Duration gracePeriod, Duration partnerWait, Duration retryAfter,
                              List<String> nameAttributes, List<String> phoneAttributes, List<String> logFiles) {

    public ErasureSettings {
        zone = zone == null ? ZoneId.of("UTC") : zone;
        partnerWait = partnerWait == null ? Duration.ofHours(24) : partnerWait;
        retryAfter = retryAfter == null ? Duration.ofMinutes(1) : retryAfter;
        nameAttributes = nameAttributes == null ? List.of("firstName", "lastName", "name", "fullName") : List.copyOf(nameAttributes);
        phoneAttributes = phoneAttributes == null ? List.of("phone", "mobile") : List.copyOf(phoneAttributes);
        logFiles = logFiles == null ? List.of() : List.copyOf(logFiles);
    }
}
