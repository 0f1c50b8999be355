package io.consenthub.crm;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.Locale;

/**
 * When the health endpoint reports a failing CRM connector: once it has failed every poll for
 * {@code failingAfter} (default 15 minutes; a CRM restarting is not an outage), as {@code status}
 * {@code DOWN} (default) or {@code OUT_OF_SERVICE} (for hubs whose load balancer must not take
 * the node out of rotation because one CRM is away).
 */
@ConfigurationProperties("consent-hub.crm.health")
public record CrmHealthSettings(Duration failingAfter, String status) {

    public CrmHealthSettings {
        failingAfter = failingAfter == null ? Duration.ofMinutes(15) : failingAfter;
        status = status == null || status.isBlank() ? "DOWN" : status.trim().toUpperCase(Locale.ROOT);
        if (failingAfter.isNegative()) {
            throw new IllegalArgumentException("consent-hub.crm.health.failing-after must not be negative");
        }
        if (!status.equals("DOWN") && !status.equals("OUT_OF_SERVICE")) {
            throw new IllegalArgumentException("consent-hub.crm.health.status must be DOWN or OUT_OF_SERVICE, not '" + status + "'");
        }
    }
}
