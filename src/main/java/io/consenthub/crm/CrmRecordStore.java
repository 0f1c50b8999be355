package io.consenthub.crm;

import io.consenthub.contact.ContactId;
import io.consenthub.shared.SqlArrays;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** SQL of the CRM sync state: per-record hashes, watermarks and the reject list. */
@Repository
class CrmRecordStore {

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;
    private volatile Boolean postgres;

    CrmRecordStore(JdbcClient jdbc, JdbcTemplate batch) {
        this.jdbc = jdbc;
        this.batch = batch;
    }

    /** What the hub last applied of one CRM record. */
    record StoredRecord(String rowHash, LocalDateTime crmModified, boolean deleted, Map<String, String> valueHashes) {
    }

    Optional<StoredRecord> find(String connectorId, String externalId) {
        return jdbc.sql("select row_hash, crm_modified, deleted_in_crm, value_hashes from crm_record where connector_id = ? and external_id = ?")
                .params(connectorId, externalId)
                .query((rs, n) -> {
                    Timestamp modified = rs.getTimestamp(2);
                    return new StoredRecord(rs.getString(1), modified == null ? null : modified.toLocalDateTime(),
                            rs.getBoolean(3), parseHashes(rs.getString(4)));
                })
                .optional();
    }

    /**
     * On PostgreSQL, refreshes the planner's statistics of the tables a sync fills. An initial sync
     * starts with empty tables, and autovacuum analyses them only a minute or more after they grew:
     * until then the planner believes a connector has a few dozen records and joins a batch's keys
     * against all of them instead of probing the index per key, which made a 100 000-row sync slow
     * down as it grew (seen in CrmSyncBenchmark). ANALYZE also invalidates the plans cached on
     * that belief. No effect on other databases.
     */
    void refreshStatistics() {
        if (postgres()) {
            batch.execute("analyze contact, crm_link, crm_record");
        }
    }

    private boolean postgres() {
        if (postgres == null) {
            postgres = batch.execute((ConnectionCallback<Boolean>) c -> "PostgreSQL".equals(c.getMetaData().getDatabaseProductName()));
        }
        return postgres;
    }

    Optional<LocalDateTime> optOutWatermark(String connectorId) {
        return jdbc.sql("select watermark from crm_opt_out_watermark where connector_id = ?")
                .params(connectorId).query(Timestamp.class).optional().map(Timestamp::toLocalDateTime);
    }

    void saveOptOutWatermark(String connectorId, LocalDateTime watermark) {
        int updated = jdbc.sql("update crm_opt_out_watermark set watermark = ? where connector_id = ?")
                .params(Timestamp.valueOf(watermark), connectorId).update();
        if (updated == 0) {
            jdbc.sql("insert into crm_opt_out_watermark (connector_id, watermark) values (?, ?)")
                    .params(connectorId, Timestamp.valueOf(watermark)).update();
        }
    }

    /** Whether this opt-out query row differs from the one last applied for the record. */
    boolean optOutRowChanged(String connectorId, String externalId, String rowHash) {
        return jdbc.sql("select row_hash from crm_opt_out_record where connector_id = ? and external_id = ?")
                .params(connectorId, externalId).query(String.class).optional().map(h -> !h.equals(rowHash)).orElse(true);
    }

    void saveOptOutRow(String connectorId, String externalId, String rowHash) {
        int updated = jdbc.sql("update crm_opt_out_record set row_hash = ? where connector_id = ? and external_id = ?")
                .params(rowHash, connectorId, externalId).update();
        if (updated == 0) {
            jdbc.sql("insert into crm_opt_out_record (connector_id, external_id, row_hash) values (?, ?, ?)")
                    .params(connectorId, externalId, rowHash).update();
        }
    }

    /** The stored records among these external ids of one connector, by external id. */
    Map<String, StoredRecord> findAll(String connectorId, List<String> externalIds) {
        var found = new HashMap<String, StoredRecord>();
        for (List<String> part : SqlArrays.parts(externalIds)) {
            jdbc.sql("select r.external_id, r.row_hash, r.crm_modified, r.deleted_in_crm, r.value_hashes "
                            + "from " + SqlArrays.KEYS + " join crm_record r on r.connector_id = ? and r.external_id = k.v")
                    .params(part.toArray(String[]::new), connectorId)
                    .query((rs, n) -> {
                        Timestamp modified = rs.getTimestamp(3);
                        return found.put(rs.getString(1), new StoredRecord(rs.getString(2),
                                modified == null ? null : modified.toLocalDateTime(), rs.getBoolean(4), parseHashes(rs.getString(5))));
                    })
                    .list();
        }
        return found;
    }

    /** Inserts the records of rows applied for the first time, with one statement (see {@link SqlArrays}). */
    void insertAll(List<CrmRow> rows, List<Map<String, String>> valueHashes, Instant now) {
        int n = rows.size();
        var connectors = new String[n];
        var externalIds = new String[n];
        var rowHashes = new String[n];
        var deleted = new Boolean[n];
        var modified = new String[n];
        var hashes = new String[n];
        for (int i = 0; i < n; i++) {
            CrmRow row = rows.get(i);
            connectors[i] = row.connectorId();
            externalIds[i] = row.externalId();
            rowHashes[i] = row.rowHash();
            deleted[i] = row.deleted();
            modified[i] = SqlArrays.timestamp(row.modified());
            hashes[i] = formatHashes(valueHashes.get(i));
        }
        jdbc.sql("""
                insert into crm_record (connector_id, external_id, row_hash, deleted_in_crm, last_synced_at, crm_modified, value_hashes)
                select r.connector_id, r.external_id, r.row_hash, r.deleted, ?, cast(r.modified as timestamp), r.value_hashes
                  from unnest(cast(? as varchar array), cast(? as varchar array), cast(? as varchar array),
                              cast(? as boolean array), cast(? as varchar array), cast(? as varchar array))
                       r(connector_id, external_id, row_hash, deleted, modified, value_hashes)""")
                .params(utc(now), connectors, externalIds, rowHashes, deleted, modified, hashes)
                .update();
    }

    boolean deletedInCrm(String connectorId, String externalId) {
        return jdbc.sql("select deleted_in_crm from crm_record where connector_id = ? and external_id = ?")
                .params(connectorId, externalId)
                .query(Boolean.class)
                .optional().orElse(false);
    }

    void saveRecord(CrmRow row, Map<String, String> valueHashes, Instant now) {
        Timestamp modified = row.modified() == null ? null : Timestamp.valueOf(row.modified());
        String hashes = formatHashes(valueHashes);
        int updated = jdbc.sql("""
                update crm_record set row_hash = ?, deleted_in_crm = ?, last_synced_at = ?, crm_modified = ?,
                       value_hashes = coalesce(?, value_hashes) where connector_id = ? and external_id = ?""")
                .params(row.rowHash(), row.deleted(), utc(now), modified, hashes, row.connectorId(), row.externalId())
                .update();
        if (updated == 0) {
            jdbc.sql("""
                    insert into crm_record (connector_id, external_id, row_hash, deleted_in_crm, last_synced_at, crm_modified, value_hashes)
                    values (?, ?, ?, ?, ?, ?, ?)""")
                    .params(row.connectorId(), row.externalId(), row.rowHash(), row.deleted(), utc(now), modified, hashes)
                    .update();
        }
    }

    void saveRecord(CrmRow row, Instant now) {
        saveRecord(row, null, now);
    }

    void conflict(ContactId contact, String connectorId, String externalId, String kind, String field, String detail, Instant now) {
        jdbc.sql("""
                insert into crm_conflict (contact_id, connector_id, external_id, kind, field, detail, recorded_at)
                values (?, ?, ?, ?, ?, ?, ?)""")
                .params(contact.value(), connectorId, externalId, kind, field,
                        detail.length() > 1000 ? detail.substring(0, 1000) : detail, utc(now))
                .update();
    }

    List<Map<String, Object>> conflicts(String connectorId, int limit) {
        return jdbc.sql("""
                select id, contact_id, external_id, kind, field, detail, recorded_at from crm_conflict
                where connector_id = ? order by id desc limit ?""")
                .params(connectorId, limit)
                .query((rs, n) -> Map.<String, Object>of("id", rs.getLong(1), "contactId", rs.getObject(2).toString(),
                        "externalId", rs.getString(3), "kind", rs.getString(4), "field", rs.getString(5),
                        "detail", rs.getString(6), "recordedAt", rs.getObject(7, OffsetDateTime.class).toInstant()))
                .list();
    }

    private static Map<String, String> parseHashes(String text) {
        var hashes = new TreeMap<String, String>();
        if (text != null && !text.isEmpty()) {
            for (String pair : text.split(";")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    continue;
                }
                hashes.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return hashes;
    }

    private static String formatHashes(Map<String, String> hashes) {
        if (hashes == null) {
            return null;
        }
        var text = new StringBuilder();
        new TreeMap<>(hashes).forEach((name, hash) -> text.append(text.isEmpty() ? "" : ";").append(name).append('=').append(hash));
        return text.length() > 4000 ? text.substring(0, 4000) : text.toString();
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
