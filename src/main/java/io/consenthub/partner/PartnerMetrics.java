package io.consenthub.partner;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/** Partner counters, labelled by partner id, kind and outcome only (never a contact). */
@Component
class PartnerMetrics {

    private final MeterRegistry meters;

    PartnerMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    void requested(String partner, String outcome) {
        meters.counter("consent_hub_partner_share_requests_total", "partner", partner, "outcome", outcome).increment();
    }

    void noticeEnqueued(String partner) {
        meters.counter("consent_hub_partner_notices_enqueued_total", "partner", partner).increment();
    }

    /** One delivery attempt's outcome: delivered, acknowledged, refused, waiting, failed. */
    void delivery(String partner, String kind, String outcome) {
        meters.counter("consent_hub_partner_deliveries_total", "partner", partner, "kind", kind, "outcome", outcome).increment();
    }
}
