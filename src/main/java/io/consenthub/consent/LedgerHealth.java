package io.consenthub.consent;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

/**
 * The {@code ledger} health indicator: the configured status ({@code DOWN} by default) while the
 * scheduled verification has an open problem, so monitoring that watches health sees tampering.
 */
@Component("ledger")
class LedgerHealth implements HealthIndicator {

    private final LedgerWatch watch;

    LedgerHealth(LedgerWatch watch) {
        this.watch = watch;
    }

    @Override
    public Health health() {
        var status = watch.status();
        var health = status.openProblems() == 0 ? Health.up() : Health.status(new Status(watch.healthStatus()))
                .withDetail("problems", status.openProblems())
                .withDetail("lastProblem", String.valueOf(status.lastProblem()));
        health.withDetail("verifiedCheckpoint", status.verifiedCheckpoint()).withDetail("cyclesCompleted", status.cyclesCompleted());
        if (status.lastRunAt() != null) {
            health.withDetail("lastRunAt", status.lastRunAt().toString());
        }
        return health.build();
    }
}
