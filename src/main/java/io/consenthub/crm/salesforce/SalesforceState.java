package io.consenthub.crm.salesforce;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the hub keeps per Salesforce org beside the CRM tables: each sObject's watermark and poll
 * health ({@code sf_object_state}), the API calls made per UTC day ({@code sf_api_usage}) and the
 * org's last reported daily allowance and any pause ({@code sf_org_state}). In the hub's database,
 * so every cluster member sees the same.
 */
@Repository
class SalesforceState {

    /** One sObject's sync as the hub last recorded it; errors name codes and fields, never values. */
    record ObjectState(String objectName, LocalDateTime watermark, Instant lastPollAt, String lastOutcome, String lastError,
                       int consecutiveFailures, Instant failingSince, Instant lastSuccessAt) {
    }

    /** The org's daily API allowance as last reported, and until when the hub holds off. */
    record OrgState(Long dailyUsed, Long dailyMax, Instant limitsSeenAt, Instant pausedUntil, String pauseReason) {
    }

    private final JdbcClient jdbc;

    SalesforceState(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<LocalDateTime> watermark(String connectorId, String objectName) {
        return jdbc.sql("select watermark from sf_object_state where connector_id = ? and object_name = ? and watermark is not null")
                .params(connectorId, objectName).query((rs, n) -> rs.getTimestamp(1).toLocalDateTime()).optional();
    }

    void objectPolled(String connectorId, String objectName, LocalDateTime watermark, Instant at) {
        ensureObject(connectorId, objectName);
        jdbc.sql("""
                update sf_object_state set watermark = ?, last_poll_at = ?, last_outcome = 'SUCCESS', last_error = null,
                       consecutive_failures = 0, failing_since = null, last_success_at = ? where connector_id = ? and object_name = ?""")
                .params(watermark == null ? null : Timestamp.valueOf(watermark), utc(at), utc(at), connectorId, objectName).update();
    }

    void objectFailed(String connectorId, String objectName, String error, Instant at) {
        ensureObject(connectorId, objectName);
        jdbc.sql("""
                update sf_object_state set last_poll_at = ?, last_outcome = 'FAILED', last_error = ?,
                       consecutive_failures = consecutive_failures + 1,
                       failing_since = coalesce(failing_since, cast(? as timestamp with time zone))
                 where connector_id = ? and object_name = ?""")
                .params(utc(at), limit(error), utc(at), connectorId, objectName).update();
    }

    List<ObjectState> objects(String connectorId) {
        return jdbc.sql("""
                select object_name, watermark, last_poll_at, last_outcome, last_error, consecutive_failures, failing_since,
                       last_success_at from sf_object_state where connector_id = ? order by object_name""")
                .param(connectorId)
                .query((rs, n) -> new ObjectState(rs.getString(1),
                        rs.getTimestamp(2) == null ? null : rs.getTimestamp(2).toLocalDateTime(),
                        instant(rs.getObject(3, OffsetDateTime.class)), rs.getString(4), rs.getString(5), rs.getInt(6),
                        instant(rs.getObject(7, OffsetDateTime.class)), instant(rs.getObject(8, OffsetDateTime.class))))
                .list();
    }

    void countCalls(String connectorId, LocalDate day, long calls) {
        int updated = jdbc.sql("update sf_api_usage set calls = calls + ? where connector_id = ? and usage_day = ?")
                .params(calls, connectorId, Date.valueOf(day)).update();
        if (updated == 0) {
            jdbc.sql("insert into sf_api_usage (connector_id, usage_day, calls) values (?, ?, ?)")
                    .params(connectorId, Date.valueOf(day), calls).update();
        }
    }

    /** Calls per UTC day, newest first, for the last {@code days} days the hub made any. */
    Map<LocalDate, Long> calls(String connectorId, int days) {
        var answer = new LinkedHashMap<LocalDate, Long>();
        jdbc.sql("select usage_day, calls from sf_api_usage where connector_id = ? order by usage_day desc limit ?")
                .params(connectorId, days)
                .query((rs, n) -> answer.put(rs.getDate(1).toLocalDate(), rs.getLong(2))).list();
        return answer;
    }

    void limits(String connectorId, long used, long max, Instant at) {
        ensureOrg(connectorId);
        jdbc.sql("update sf_org_state set daily_used = ?, daily_max = ?, limits_seen_at = ? where connector_id = ?")
                .params(used, max, utc(at), connectorId).update();
    }

    /** Holds the org's calls off until {@code until} (never shortens a longer pause already set). */
    void pause(String connectorId, Instant until, String reason) {
        ensureOrg(connectorId);
        jdbc.sql("""
                update sf_org_state set paused_until = ?, pause_reason = ?
                 where connector_id = ? and (paused_until is null or paused_until < ?)""")
                .params(utc(until), limit(reason), connectorId, utc(until)).update();
    }

    void resume(String connectorId) {
        jdbc.sql("update sf_org_state set paused_until = null, pause_reason = null where connector_id = ? and paused_until is not null")
                .param(connectorId).update();
    }

    OrgState org(String connectorId) {
        return jdbc.sql("select daily_used, daily_max, limits_seen_at, paused_until, pause_reason from sf_org_state where connector_id = ?")
                .param(connectorId)
                .query((rs, n) -> new OrgState((Long) rs.getObject(1, Long.class), rs.getObject(2, Long.class),
                        instant(rs.getObject(3, OffsetDateTime.class)), instant(rs.getObject(4, OffsetDateTime.class)),
                        rs.getString(5)))
                .optional().orElse(new OrgState(null, null, null, null, null));
    }

    private void ensureObject(String connectorId, String objectName) {
        if (jdbc.sql("select count(*) from sf_object_state where connector_id = ? and object_name = ?")
                .params(connectorId, objectName).query(Long.class).single() == 0) {
            try {
                jdbc.sql("insert into sf_object_state (connector_id, object_name, consecutive_failures) values (?, ?, 0)")
                        .params(connectorId, objectName).update();
            } catch (DuplicateKeyException e) {
                // Another member inserted it meanwhile: the update that follows finds it.
            }
        }
    }

    private void ensureOrg(String connectorId) {
        if (jdbc.sql("select count(*) from sf_org_state where connector_id = ?").param(connectorId).query(Long.class).single() == 0) {
            try {
                jdbc.sql("insert into sf_org_state (connector_id) values (?)").param(connectorId).update();
            } catch (DuplicateKeyException e) {
                // Another member inserted it meanwhile.
            }
        }
    }

    private static String limit(String text) {
        return text == null || text.length() <= 1000 ? text : text.substring(0, 1000);
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
