package io.consenthub.consent;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code consent-hub.ledger.verification}: the scheduled ledger check (route
 * {@code routes/consent/ledger-verification.camel.yaml}, which reads {@code enabled} and {@code period}).
 * Each run verifies what was sealed since the last verified checkpoint and re-checks
 * {@code contactsPerRun} contacts in full; {@code healthStatus} is what the {@code ledger} health
 * indicator reports while a problem is open ({@code DOWN} by default, or e.g. {@code OUT_OF_SERVICE}).
 */
@ConfigurationProperties("consent-hub.ledger.verification")
record LedgerWatchSettings(Boolean enabled, Long period, Integer contactsPerRun, String healthStatus) {

    LedgerWatchSettings {
        enabled = enabled == null || enabled;
        period = period == null ? 60_000L : period;
        contactsPerRun = contactsPerRun == null ? 1_000 : contactsPerRun;
        healthStatus = healthStatus == null || healthStatus.isBlank() ? "DOWN" : healthStatus.strip();
        if (period < 100 || contactsPerRun < 1 || contactsPerRun > 10_000) {
            throw new IllegalArgumentException("consent-hub.ledger.verification: period must be at least 100 (ms)"
                    + " and contacts-per-run between 1 and 10000 (got " + period + ", " + contactsPerRun + ")");
        }
    }
}
