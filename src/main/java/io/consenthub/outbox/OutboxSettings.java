package io.consenthub.outbox;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * Delivery retries: the first retry after {@code initialBackoff}, doubling up to {@code maxBackoff},
 * given up after {@code maxAttempts}; a claimed message whose node vanished is due again after {@code lease}.
 */
@ConfigurationProperties("consent-hub.outbox")
public record OutboxSettings(Duration initialBackoff, Duration maxBackoff, int maxAttempts, Duration lease) {

    public OutboxSettings {
        initialBackoff = initialBackoff == null ? Duration.ofSeconds(2) : initialBackoff;
        maxBackoff = maxBackoff == null ? Duration.ofMinutes(15) : maxBackoff;
        maxAttempts = maxAttempts <= 0 ? 20 : maxAttempts;
        lease = lease == null ? Duration.ofMinutes(5) : lease;
    }

    Duration backoffAfter(int attempts) {
        long factor = 1L << Math.min(Math.max(attempts - 1, 0), 20);
        Duration backoff = initialBackoff.multipliedBy(factor);
        return backoff.compareTo(maxBackoff) > 0 ? maxBackoff : backoff;
    }
}
