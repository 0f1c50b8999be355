package io.consenthub.crm.jdbc;

import io.consenthub.crm.CrmSettings;
import org.springframework.scheduling.support.CronExpression;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/**
 * When a connector's reconcile is due, as a pure function of its schedule, when the last one
 * started (and whether it finished) and when the hub started: a hub that never reconciled counts
 * from its own start, so a fresh hub does not re-read every CRM right after its first (full) poll
 * did; a run that broke off is retried after {@link #RETRY_AFTER} rather than a whole period later.
 */
public final class ReconcileSchedule {

    private ReconcileSchedule() {
    }

    /** A reconcile that broke off (the CRM down at 03:00, say) is tried again this long after it started. */
    static final Duration RETRY_AFTER = Duration.ofMinutes(10);

    public static boolean due(CrmSettings.Reconcile reconcile, Instant lastStarted, boolean lastFinished, Instant hubStarted,
                       Instant now, ZoneId zone) {
        if (reconcile == null) {
            return false;
        }
        if (lastStarted != null && !lastFinished) {
            return !now.isBefore(lastStarted.plus(RETRY_AFTER));
        }
        Instant from = lastStarted != null ? lastStarted : hubStarted;
        if (reconcile.period() != null) {
            return !now.isBefore(from.plus(reconcile.period()));
        }
        var next = CronExpression.parse(reconcile.cron()).next(from.atZone(zone));
        return next != null && !now.isBefore(next.toInstant());
    }
}
