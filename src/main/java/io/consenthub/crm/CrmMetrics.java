package io.consenthub.crm;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sync progress as Micrometer metrics, so operators see a connector falling behind before anyone
 * asks: {@code consent_hub_crm_rows_total{connector,outcome=seen|upserted|unchanged|rejected}},
 * {@code consent_hub_crm_lag_seconds{connector}} (now minus the watermark, CRM times read as UTC)
 * and {@code consent_hub_crm_write_backs_total{connector,outcome}}; and how polls go:
 * {@code consent_hub_crm_polls_total{connector,outcome=success|failed,error}} (error: the exception
 * class, {@code none} for a success), {@code consent_hub_crm_poll_up{connector}} (1 when the last
 * poll succeeded), {@code consent_hub_crm_poll_consecutive_failures{connector}} and
 * {@code consent_hub_crm_poll_last_success_timestamp_seconds{connector}}. No label carries a value.
 */
@Component
public class CrmMetrics {

    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<String, AtomicLong> lag = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> up = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> consecutiveFailures = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> lastSuccess = new ConcurrentHashMap<>();

    CrmMetrics(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    public void rows(String connectorId, String outcome, long count) {
        if (count > 0) {
            registry.counter("consent_hub.crm.rows", "connector", connectorId, "outcome", outcome).increment(count);
        }
    }

    /** What one poll did: its rows by outcome, and the lag of the watermark it ends at. */
    public void polled(String connectorId, long seen, long applied, long rejected, LocalDateTime watermark) {
        rows(connectorId, "seen", seen);
        rows(connectorId, "upserted", applied);
        rows(connectorId, "unchanged", seen - applied - rejected);
        rows(connectorId, "rejected", rejected);
        watermark(connectorId, watermark);
        registry.counter("consent_hub.crm.polls", "connector", connectorId, "outcome", "success", "error", "none").increment();
        gauge("consent_hub.crm.poll.up", up, connectorId).set(1);
        gauge("consent_hub.crm.poll.consecutive.failures", consecutiveFailures, connectorId).set(0);
        gauge("consent_hub.crm.poll.last.success.timestamp.seconds", lastSuccess, connectorId).set(clock.instant().getEpochSecond());
    }

    /** A poll that failed as a whole; {@code errorKind} is an exception class name, never a message. */
    public void pollFailed(String connectorId, String errorKind, long failuresInARow) {
        registry.counter("consent_hub.crm.polls", "connector", connectorId, "outcome", "failed", "error", errorKind).increment();
        gauge("consent_hub.crm.poll.up", up, connectorId).set(0);
        gauge("consent_hub.crm.poll.consecutive.failures", consecutiveFailures, connectorId).set(failuresInARow);
    }

    private AtomicLong gauge(String name, Map<String, AtomicLong> values, String connectorId) {
        return values.computeIfAbsent(connectorId, id -> registry.gauge(name, Tags.of("connector", id), new AtomicLong()));
    }

    public void watermark(String connectorId, LocalDateTime watermark) {
        long seconds = Math.max(0, Duration.between(watermark.toInstant(ZoneOffset.UTC), clock.instant()).toSeconds());
        lag.computeIfAbsent(connectorId, id -> registry.gauge("consent_hub.crm.lag.seconds", Tags.of("connector", id),
                new AtomicLong())).set(seconds);
    }

    public void writeBack(String connectorId, String outcome) {
        registry.counter("consent_hub.crm.write.backs", "connector", connectorId, "outcome", outcome).increment();
    }
}
