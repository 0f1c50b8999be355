package io.consenthub.crm;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The CRM pollers in {@code /actuator/health} (component {@code crm}): {@code DOWN} or
 * {@code OUT_OF_SERVICE} ({@link CrmHealthSettings}) while an enabled polling connector has failed
 * every poll for the configured time, so a connector that silently stopped syncing pages someone.
 * Details name each connector's last outcome and error, never a value.
 */
@Component("crm")
class CrmHealthIndicator implements HealthIndicator {

    private static final Set<String> POLLED = Set.of("jdbc", "salesforce");

    private final CrmSettings settings;
    private final CrmHealthSettings health;
    private final CrmSyncLog syncLog;
    private final Clock clock;

    CrmHealthIndicator(CrmSettings settings, CrmHealthSettings health, CrmSyncLog syncLog, Clock clock) {
        this.settings = settings;
        this.health = health;
        this.syncLog = syncLog;
        this.clock = clock;
    }

    @Override
    public Health health() {
        Instant now = clock.instant();
        var details = new LinkedHashMap<String, Object>();
        boolean failing = false;
        for (PollHealth poll : syncLog.pollHealth()) {
            CrmSettings.Connector connector = settings.connectors().get(poll.connectorId());
            if (connector == null || !connector.enabled() || !POLLED.contains(connector.kind())) {
                continue;
            }
            boolean down = poll.failingFor(health.failingAfter(), now);
            failing |= down;
            var detail = new LinkedHashMap<String, Object>();
            detail.put("failing", down);
            detail.put("lastOutcome", poll.lastOutcome().name());
            detail.put("consecutiveFailures", poll.consecutiveFailures());
            if (poll.lastError() != null) {
                detail.put("lastError", poll.lastError());
            }
            if (poll.failingSince() != null) {
                detail.put("failingSince", poll.failingSince().toString());
            }
            if (poll.lastSuccessAt() != null) {
                detail.put("lastSuccessAt", poll.lastSuccessAt().toString());
            }
            details.put(poll.connectorId(), detail);
        }
        Status status = failing ? new Status(health.status()) : Status.UP;
        return Health.status(status).withDetails(Map.copyOf(details)).build();
    }
}
