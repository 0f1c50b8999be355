package io.consenthub.crm;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** SQL of the CRM sync state: per-record hashes, watermarks and the reject list. */
@Repository
class CrmRecordStore {

    private final JdbcClient jdbc;

    CrmRecordStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<String> rowHash(String connectorId, String externalId) {
        return jdbc.sql("select row_hash from crm_record where connector_id = ? and external_id = ?")
                .params(connectorId, externalId)
                .query(String.class)
                .optional();
    }

    void saveRecord(CrmRow row, Instant now) {
        int updated = jdbc.sql("update crm_record set row_hash = ?, deleted_in_crm = ?, last_synced_at = ? where connector_id = ? and external_id = ?")
                .params(row.rowHash(), row.deleted(), utc(now), row.connectorId(), row.externalId())
                .update();
        if (updated == 0) {
            jdbc.sql("insert into crm_record (connector_id, external_id, row_hash, deleted_in_crm, last_synced_at) values (?, ?, ?, ?, ?)")
                    .params(row.connectorId(), row.externalId(), row.rowHash(), row.deleted(), utc(now))
                    .update();
        }
    }

    Optional<CrmStatus> status(String connectorId) {
        return jdbc.sql("select watermark, rows_seen, rows_applied, rows_rejected, last_poll_at from crm_watermark where connector_id = ?")
                .param(connectorId)
                .query((rs, n) -> new CrmStatus(connectorId, rs.getTimestamp(1).toLocalDateTime(), rs.getLong(2),
                        rs.getLong(3), rs.getLong(4), rs.getObject(5, OffsetDateTime.class).toInstant()))
                .optional();
    }

    void saveProgress(String connectorId, LocalDateTime watermark, long seen, long applied, long rejected, Instant now) {
        int updated = jdbc.sql("""
                update crm_watermark set watermark = ?, rows_seen = rows_seen + ?, rows_applied = rows_applied + ?,
                       rows_rejected = rows_rejected + ?, last_poll_at = ? where connector_id = ?""")
                .params(Timestamp.valueOf(watermark), seen, applied, rejected, utc(now), connectorId)
                .update();
        if (updated == 0) {
            jdbc.sql("insert into crm_watermark (connector_id, watermark, rows_seen, rows_applied, rows_rejected, last_poll_at) values (?, ?, ?, ?, ?, ?)")
                    .params(connectorId, Timestamp.valueOf(watermark), seen, applied, rejected, utc(now))
                    .update();
        }
    }

    void reject(String connectorId, String externalId, String reason, Instant now) {
        jdbc.sql("insert into crm_reject (connector_id, external_id, reason, rejected_at) values (?, ?, ?, ?)")
                .params(connectorId, externalId, reason.length() > 1000 ? reason.substring(0, 1000) : reason, utc(now))
                .update();
    }

    List<Map<String, Object>> rejects(String connectorId, int limit) {
        return jdbc.sql("select id, external_id, reason, rejected_at from crm_reject where connector_id = ? order by id desc limit ?")
                .params(connectorId, limit)
                .query((rs, n) -> Map.<String, Object>of("id", rs.getLong(1),
                        "externalId", rs.getString(2) == null ? "" : rs.getString(2), "reason", rs.getString(3),
                        "rejectedAt", rs.getObject(4, OffsetDateTime.class).toInstant()))
                .list();
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
