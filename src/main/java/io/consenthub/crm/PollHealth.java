package io.consenthub.crm;

import java.time.Duration;
import java.time.Instant;

/**
 * How a polling connector's polls have gone: the last one's outcome and error (exception classes
 * and the hub's own messages only, see {@link FailureText}), how many failed in a row, since when,
 * and when one last succeeded. Kept in the hub's database, so every cluster member reports the same.
 */
public record PollHealth(String connectorId, Instant lastPollAt, Outcome lastOutcome, String lastError,
                         int consecutiveFailures, Instant failingSince, Instant lastSuccessAt) {

    /** What one poll ended with. */
    public enum Outcome {
        SUCCESS,
        FAILED
    }

    /**
     * Whether the connector has failed every poll for at least {@code threshold}: a single failed
     * poll (the CRM restarting) is not an outage; a connector failing for the threshold is.
     */
    public boolean failingFor(Duration threshold, Instant now) {
        return consecutiveFailures > 0 && failingSince != null && !failingSince.plus(threshold).isAfter(now);
    }
}
