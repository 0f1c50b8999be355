package io.consenthub.crm.salesforce;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Salesforce-only metrics beside the CRM ones: {@code consent_hub_salesforce_object_poll_up{connector,object}}
 * (1 when the object's last poll succeeded), {@code consent_hub_salesforce_api_calls_total{connector}}
 * (API calls the hub made) and {@code consent_hub_salesforce_daily_api_requests{connector,of=used|max}}
 * (the org's daily usage as Salesforce last reported it) and
 * {@code consent_hub_salesforce_bulk_jobs_failed_total{connector,object}} (Bulk API 2.0 query jobs
 * that failed, the object then read through REST),
 * {@code consent_hub_salesforce_change_events_total{connector,reaction}} (Change Data Capture events
 * received, by what the hub did: opt-out, delete, read, poll, ignore, duplicate, failed). No label carries a value.
 */
@Component
class SalesforceMetrics {

    private final MeterRegistry registry;
    private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();

    SalesforceMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void objectPolled(String connectorId, String objectName, boolean up) {
        gauge("consent_hub.salesforce.object.poll.up", Tags.of("connector", connectorId, "object", objectName)).set(up ? 1 : 0);
    }

    void calls(String connectorId, long calls) {
        registry.counter("consent_hub.salesforce.api.calls", "connector", connectorId).increment(calls);
    }

    void dailyUsage(String connectorId, long used, long max) {
        gauge("consent_hub.salesforce.daily.api.requests", Tags.of("connector", connectorId, "of", "used")).set(used);
        gauge("consent_hub.salesforce.daily.api.requests", Tags.of("connector", connectorId, "of", "max")).set(max);
    }

    /** A Bulk API 2.0 query job that failed; the object was read through REST instead. */
    void bulkJobFailed(String connectorId, String objectName) {
        registry.counter("consent_hub.salesforce.bulk.jobs.failed", "connector", connectorId, "object", objectName).increment();
    }

    void changeEvent(String connectorId, String reaction) {
        registry.counter("consent_hub.salesforce.change.events", "connector", connectorId, "reaction", reaction).increment();
    }

    private AtomicLong gauge(String name, Tags tags) {
        return gauges.computeIfAbsent(name + tags, key -> registry.gauge(name, tags, new AtomicLong()));
    }
}
