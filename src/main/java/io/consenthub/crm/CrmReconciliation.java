package io.consenthub.crm;

import io.consenthub.shared.SqlArrays;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * What a connector's reconcile (a scheduled re-read of every record) found: which records the CRM
 * returned, so that records the hub holds but the CRM no longer returns (purged, or filtered out
 * by a changed query) are reported rather than silently kept as if current. A record is "missing"
 * when the last completed re-scan did not return it and the hub does not already know it as
 * deleted. Reports only: a missing record's contact and consents are kept.
 */
@Repository
public class CrmReconciliation {

    /** A connector's last reconcile; {@code finishedAt} is null while one runs (or if it broke off). */
    public record Run(String connectorId, Instant startedAt, Instant finishedAt, long rowsSeen, long rowsApplied, long missing) {
    }

    private final JdbcClient jdbc;

    CrmReconciliation(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A re-scan starts: the run is recorded as started, so the schedule counts from here. */
    public void started(String connectorId, Instant at) {
        int updated = jdbc.sql("update crm_reconcile set started_at = ?, finished_at = null, rows_seen = 0, rows_applied = 0, missing = 0 where connector_id = ?")
                .params(utc(at), connectorId).update();
        if (updated == 0) {
            jdbc.sql("insert into crm_reconcile (connector_id, started_at, rows_seen, rows_applied, missing) values (?, ?, 0, 0, 0)")
                    .params(connectorId, utc(at)).update();
        }
    }

    /** The re-scan returned these records (applied, unchanged or rejected alike). */
    public void seen(String connectorId, List<String> externalIds, Instant at) {
        for (List<String> part : SqlArrays.parts(externalIds)) {
            jdbc.sql("update crm_record set seen_at = ? where connector_id = ? and external_id in (select k.v from " + SqlArrays.KEYS + ")")
                    .params(utc(at), connectorId, part.toArray(String[]::new)).update();
        }
    }

    /** The re-scan read every row: counts the records it did not return and completes the run. */
    public Run finished(String connectorId, Instant startedAt, long seen, long applied, Instant at) {
        long missing = jdbc.sql("select count(*) from crm_record where connector_id = ? and not deleted_in_crm and (seen_at is null or seen_at < ?)")
                .params(connectorId, utc(startedAt)).query(Long.class).single();
        jdbc.sql("update crm_reconcile set finished_at = ?, rows_seen = ?, rows_applied = ?, missing = ? where connector_id = ?")
                .params(utc(at), seen, applied, missing, connectorId).update();
        return new Run(connectorId, startedAt, at, seen, applied, missing);
    }

    public Optional<Run> last(String connectorId) {
        return jdbc.sql("select started_at, finished_at, rows_seen, rows_applied, missing from crm_reconcile where connector_id = ?")
                .params(connectorId)
                .query((rs, n) -> {
                    var finished = rs.getObject(2, OffsetDateTime.class);
                    return new Run(connectorId, rs.getObject(1, OffsetDateTime.class).toInstant(),
                            finished == null ? null : finished.toInstant(), rs.getLong(3), rs.getLong(4), rs.getLong(5));
                })
                .optional();
    }

    /** External ids of the records the last completed re-scan did not return, in id order. */
    public List<String> missing(String connectorId, int limit) {
        return last(connectorId).filter(run -> run.finishedAt() != null)
                .map(run -> jdbc.sql("select external_id from crm_record where connector_id = ? and not deleted_in_crm "
                                + "and (seen_at is null or seen_at < ?) order by external_id limit ?")
                        .params(connectorId, utc(run.startedAt()), limit).query(String.class).list())
                .orElse(List.of());
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
