package io.consenthub.retention;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * Retention settings ({@code consent-hub.retention}).
 *
 * @param inactiveFor how long a contact who granted nothing may go without activity before nothing
 *                    justifies keeping their data (default 365 days)
 * @param action      {@code review} (default): candidates are only listed at {@code GET /api/retention/candidates};
 *                    {@code anonymise}: the hub starts an erasure job for each candidate itself
 * @param eraseInCrms whether retention's erasure jobs also erase in the CRMs (default false: the hub
 *                    anonymises its own copy; each CRM keeps its records under its own retention)
 * @param batchSize   the most candidates one run of the retention route acts on (default 100)
 */
@ConfigurationProperties("consent-hub.retention")
public record RetentionSettings(Duration inactiveFor, Action action, Boolean eraseInCrms, Integer batchSize) {

    /** What the hub does with a candidate. */
    public enum Action {
        REVIEW,
        ANONYMISE
    }

    public RetentionSettings {
        inactiveFor = inactiveFor == null ? Duration.ofDays(365) : inactiveFor;
        action = action == null ? Action.REVIEW : action;
        eraseInCrms = eraseInCrms != null && eraseInCrms;
        batchSize = batchSize == null ? 100 : batchSize;
        if (inactiveFor.isNegative() || inactiveFor.isZero()) {
            throw new IllegalArgumentException("consent-hub.retention.inactive-for must be a positive duration, such as P365D");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("consent-hub.retention.batch-size must be at least 1");
        }
    }
}
