package io.consenthub.crm.jdbc;

import io.consenthub.crm.CrmSettings;
import org.springframework.scheduling.support.CronExpression;

import java.time.Instant;
import java.time.ZoneId;

/**
 * When a connector's reconcile is due, as a pure function of its schedule, when the last one
 * started and when the hub started: a hub that never reconciled counts from its own start, so a
 * fresh hub does not re-read every CRM right after its first (full) poll did.
 */
final class ReconcileSchedule {

    private ReconcileSchedule() {
    }

    static boolean due(CrmSettings.Reconcile reconcile, Instant lastStarted, Instant hubStarted, Instant now, ZoneId zone) {
        if (reconcile == null) {
            return false;
        }
        Instant from = lastStarted != null ? lastStarted : hubStarted;
        if (reconcile.period() != null) {
            return !now.isBefore(from.plus(reconcile.period()));
        }
        var next = CronExpression.parse(reconcile.cron()).next(from.atZone(zone));
        return next != null && !now.isBefore(next.toInstant());
    }
}
