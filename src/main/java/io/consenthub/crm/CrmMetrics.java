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
 * and {@code consent_hub_crm_write_backs_total{connector,outcome}}.
 */
@Component
public class CrmMetrics {

    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<String, AtomicLong> lag = new ConcurrentHashMap<>();

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
