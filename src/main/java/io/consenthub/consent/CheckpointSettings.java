package io.consenthub.consent;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code consent-hub.ledger.checkpoint}: the leader's sealing route
 * ({@code routes/consent/ledger-checkpoint.camel.yaml}, which reads {@code enabled} and
 * {@code check-period}) looks every {@code checkPeriod} ms whether a checkpoint is due: {@code interval}
 * ms after the last one, or as soon as {@code events} events were appended since. A checkpoint that
 * would seal nothing new is not written.
 */
@ConfigurationProperties("consent-hub.ledger.checkpoint")
record CheckpointSettings(Boolean enabled, Long checkPeriod, Long interval, Integer events) {

    CheckpointSettings {
        enabled = enabled == null || enabled;
        checkPeriod = checkPeriod == null ? 5_000L : checkPeriod;
        interval = interval == null ? 60_000L : interval;
        events = events == null ? 10_000 : events;
        if (checkPeriod < 100 || interval < 100 || events < 1) {
            throw new IllegalArgumentException("consent-hub.ledger.checkpoint: check-period and interval must be at least 100 (ms) and"
                    + " events at least 1 (got " + checkPeriod + ", " + interval + ", " + events + ")");
        }
    }
}
