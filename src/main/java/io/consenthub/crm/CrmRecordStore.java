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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** SQL of the CRM sync state: per-record hashes, watermarks and the reject list. */
@Repository
class CrmRecordStore {

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;
    private final CrmHashes hashes;
    private volatile Boolean postgres;

    CrmRecordStore(JdbcClient jdbc, JdbcTemplate batch, CrmHashes hashes) {
        this.jdbc = jdbc;
        this.batch = batch;
        this.hashes = hashes;
    }

    /** The row's content hash as stored: keyed, so it confirms no guess of the row's values. */
    String storedRowHash(CrmRow row) {
        return hashes.row(row.rowHash());
    }

    /** Whether the stored record is of this very version of the row (its keyed content hash). */
    boolean sameRow(CrmRow row, StoredRecord stored) {
        return hashes.row(row.rowHash()).equals(stored.rowHash());
    }

    /** What the hub last applied of one CRM record. */
    record StoredRecord(String rowHash, LocalDateTime crmModified, boolean deleted, Map<String, String> valueHashes,
                        OptOutFlag optOutFlag) {
    }

    /**
     * The CRM record's own opt-out flag as the hub last knew it: not set, set in the CRM (read as
     * set), or raised by the hub's write-back, which the sync must not read back as a new opt-out.
     */
    enum OptOutFlag {
        NOT_SET,
        CRM,
        HUB;

        static OptOutFlag of(String stored) {
            return stored == null ? NOT_SET : valueOf(stored);
        }

        String stored() {
            return this == NOT_SET ? null : name();
        }
    }

    Optional<StoredRecord> find(String connectorId, String externalId) {
        return jdbc.sql("select row_hash, crm_modified, deleted_in_crm, value_hashes, opt_out_flag from crm_record"
                        + " where connector_id = ? and external_id = ?")
                .params(connectorId, externalId)
                .query((rs, n) -> {
                    Timestamp modified = rs.getTimestamp(2);
                    return new StoredRecord(rs.getString(1), modified == null ? null : modified.toLocalDateTime(),
                            rs.getBoolean(3), parseHashes(rs.getString(4)), OptOutFlag.of(rs.getString(5)));
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

    /** Whether this opt-out query row (by content hash) has not been applied for the record yet. */
    boolean optOutRowChanged(String connectorId, String externalId, String rowHash) {
        return jdbc.sql("select count(*) from crm_opt_out_record where connector_id = ? and external_id = ? and row_hash = ?")
                .params(connectorId, externalId, hashes.row(rowHash)).query(Long.class).single() == 0;
    }

    void saveOptOutRow(String connectorId, String externalId, String rowHash) {
        jdbc.sql("insert into crm_opt_out_record (connector_id, external_id, row_hash) values (?, ?, ?)")
                .params(connectorId, externalId, hashes.row(rowHash)).update();
    }

    /** The stored records among these external ids of one connector, by external id. */
    Map<String, StoredRecord> findAll(String connectorId, List<String> externalIds) {
        var found = new HashMap<String, StoredRecord>();
        for (List<String> part : SqlArrays.parts(externalIds)) {
            jdbc.sql("select r.external_id, r.row_hash, r.crm_modified, r.deleted_in_crm, r.value_hashes, r.opt_out_flag "
                            + "from " + SqlArrays.KEYS + " join crm_record r on r.connector_id = ? and r.external_id = k.v")
                    .params(part.toArray(String[]::new), connectorId)
                    .query((rs, n) -> {
                        Timestamp modified = rs.getTimestamp(3);
                        return found.put(rs.getString(1), new StoredRecord(rs.getString(2),
                                modified == null ? null : modified.toLocalDateTime(), rs.getBoolean(4), parseHashes(rs.getString(5)),
                                OptOutFlag.of(rs.getString(6))));
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
        var flags = new String[n];
        for (int i = 0; i < n; i++) {
            CrmRow row = rows.get(i);
            connectors[i] = row.connectorId();
            externalIds[i] = row.externalId();
            rowHashes[i] = this.hashes.row(row.rowHash());
            deleted[i] = row.deleted();
            modified[i] = SqlArrays.timestamp(row.modified());
            hashes[i] = formatHashes(valueHashes.get(i));
            flags[i] = row.emailOptOut() ? OptOutFlag.CRM.stored() : null;
        }
        jdbc.sql("""
                insert into crm_record (connector_id, external_id, row_hash, deleted_in_crm, last_synced_at, crm_modified,
                                        value_hashes, opt_out_flag)
                select r.connector_id, r.external_id, r.row_hash, r.deleted, ?, cast(r.modified as timestamp), r.value_hashes,
                       r.opt_out_flag
                  from unnest(cast(? as varchar array), cast(? as varchar array), cast(? as varchar array),
                              cast(? as boolean array), cast(? as varchar array), cast(? as varchar array),
                              cast(? as varchar array))
                       r(connector_id, external_id, row_hash, deleted, modified, value_hashes, opt_out_flag)""")
                .params(utc(now), connectors, externalIds, rowHashes, deleted, modified, hashes, flags)
                .update();
    }

    boolean deletedInCrm(String connectorId, String externalId) {
        return jdbc.sql("select deleted_in_crm from crm_record where connector_id = ? and external_id = ?")
                .params(connectorId, externalId)
                .query(Boolean.class)
                .optional().orElse(false);
    }

    /** Saves what was applied of a record; {@code optOutFlag} null keeps the flag the hub knew. */
    void saveRecord(CrmRow row, Map<String, String> valueHashes, OptOutFlag optOutFlag, Instant now) {
        Timestamp modified = row.modified() == null ? null : Timestamp.valueOf(row.modified());
        String hashes = formatHashes(valueHashes);
        String flag = optOutFlag == null ? null : optOutFlag.stored();
        boolean keepFlag = optOutFlag == null;
        int updated = jdbc.sql("""
                update crm_record set row_hash = ?, deleted_in_crm = ?, last_synced_at = ?, crm_modified = ?,
                       value_hashes = coalesce(?, value_hashes),
                       opt_out_flag = case when ? then opt_out_flag else cast(? as varchar(8)) end
                 where connector_id = ? and external_id = ?""")
                .params(this.hashes.row(row.rowHash()), row.deleted(), utc(now), modified, hashes, keepFlag, flag, row.connectorId(), row.externalId())
                .update();
        if (updated == 0) {
            jdbc.sql("""
                    insert into crm_record (connector_id, external_id, row_hash, deleted_in_crm, last_synced_at, crm_modified,
                                            value_hashes, opt_out_flag)
                    values (?, ?, ?, ?, ?, ?, ?, ?)""")
                    .params(row.connectorId(), row.externalId(), this.hashes.row(row.rowHash()), row.deleted(), utc(now), modified, hashes, flag)
                    .update();
        }
    }

    void saveRecord(CrmRow row, Instant now) {
        saveRecord(row, null, null, now);
    }

    /**
     * Notes that the hub's write-back is raising this record's opt-out flag, unless the hub has read
     * the flag as set by the CRM itself. Noted before the write, so a poll reading the raised flag
     * right after it cannot take it for the CRM's.
     */
    /** Notes the hub's write-back raising the record's flag; true when this call noted it (it was not set). */
    boolean optOutRaisedByHub(String connectorId, String externalId) {
        return jdbc.sql("update crm_record set opt_out_flag = ? where connector_id = ? and external_id = ? and opt_out_flag is null")
                .params(OptOutFlag.HUB.stored(), connectorId, externalId)
                .update() == 1;
    }

    /** Notes that the CRM itself set the record's opt-out flag (a flag the hub raised stays the hub's). */
    void optOutSetInCrm(String connectorId, String externalId) {
        jdbc.sql("update crm_record set opt_out_flag = ? where connector_id = ? and external_id = ? and (opt_out_flag is null or opt_out_flag <> ?)")
                .params(OptOutFlag.CRM.stored(), connectorId, externalId, OptOutFlag.HUB.stored())
                .update();
    }

    /** Takes back a note of {@link #optOutRaisedByHub} whose write did not happen. */
    void hubRaisedOptOutUndone(String connectorId, String externalId) {
        jdbc.sql("update crm_record set opt_out_flag = null where connector_id = ? and external_id = ? and opt_out_flag = ?")
                .params(connectorId, externalId, OptOutFlag.HUB.stored())
                .update();
    }

    OptOutFlag optOutFlag(String connectorId, String externalId) {
        return jdbc.sql("select opt_out_flag from crm_record where connector_id = ? and external_id = ?")
                .params(connectorId, externalId)
                .query((rs, n) -> OptOutFlag.of(rs.getString(1)))
                .optional().orElse(OptOutFlag.NOT_SET);
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
        return text.toString();
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

    /**
     * Records a reject unless the same record already has an open one for the same reason: that
     * one is then only seen again (with the hash of the version now seen). Returns whether a new
     * reject was opened, so the caller logs a fault once, not at every poll that re-reads it.
     */
    boolean reject(String connectorId, String externalId, String rowHash, String reason, Instant now) {
        String text = reason.length() > 1000 ? reason.substring(0, 1000) : reason;
        var seenAgain = new ArrayList<Object>(List.of(utc(now)));
        seenAgain.add(hashes.row(rowHash));
        seenAgain.add(connectorId);
        if (externalId != null) {
            seenAgain.add(externalId);
        }
        seenAgain.add(text);
        int seen = jdbc.sql("update crm_reject set last_seen_at = ?, row_hash = coalesce(cast(? as varchar(64)), row_hash)"
                        + " where connector_id = ? and " + (externalId == null ? "external_id is null" : "external_id = ?")
                        + " and reason = ? and closed_at is null")
                .params(seenAgain)
                .update();
        if (seen > 0) {
            return false;
        }
        jdbc.sql("insert into crm_reject (connector_id, external_id, reason, rejected_at, last_seen_at, row_hash) values (?, ?, ?, ?, ?, ?)")
                .params(connectorId, externalId, text, utc(now), utc(now), hashes.row(rowHash))
                .update();
        return true;
    }

    /**
     * Closes the open rejects of records now applied in another version than the one rejected:
     * the CRM fixed the row. A reject of the very version applied stays open (a field refused
     * while the rest of that row was applied). One statement per part of the batch.
     */
    void closeRejects(String connectorId, List<CrmRow> applied, Instant now) {
        if (applied.size() == 1) {
            CrmRow row = applied.get(0);
            jdbc.sql("""
                    update crm_reject set closed_at = ? where connector_id = ? and external_id = ? and closed_at is null
                       and (row_hash is null or row_hash <> ?)""")
                    .params(utc(now), connectorId, row.externalId(), hashes.row(row.rowHash()))
                    .update();
            return;
        }
        for (List<CrmRow> part : SqlArrays.parts(applied)) {
            jdbc.sql("""
                    update crm_reject set closed_at = ?
                     where id in (select j.id
                                    from unnest(cast(? as varchar array), cast(? as varchar array)) r(external_id, row_hash)
                                    join crm_reject j on j.connector_id = ? and j.external_id = r.external_id
                                   where j.closed_at is null and (j.row_hash is null or j.row_hash <> r.row_hash))""")
                    .params(utc(now), part.stream().map(CrmRow::externalId).toArray(String[]::new),
                            part.stream().map(r -> hashes.row(r.rowHash())).toArray(String[]::new), connectorId)
                    .update();
        }
    }

    /**
     * The reject list, newest first: {@code state} open, closed or all; {@code before} an id to
     * page on from (the last id of the previous page), or null for the newest.
     */
    List<Map<String, Object>> rejects(String connectorId, String state, Long before, int limit) {
        String which = switch (state) {
            case "open" -> " and closed_at is null";
            case "closed" -> " and closed_at is not null";
            default -> "";
        };
        return jdbc.sql("select id, external_id, reason, rejected_at, last_seen_at, closed_at from crm_reject"
                        + " where connector_id = ? and id < ?" + which + " order by id desc limit ?")
                .params(connectorId, before == null ? Long.MAX_VALUE : before, limit)
                .query((rs, n) -> {
                    var reject = new LinkedHashMap<String, Object>();
                    reject.put("id", rs.getLong(1));
                    reject.put("externalId", rs.getString(2) == null ? "" : rs.getString(2));
                    reject.put("reason", rs.getString(3));
                    reject.put("status", rs.getObject(6) == null ? "OPEN" : "CLOSED");
                    Instant rejectedAt = rs.getObject(4, OffsetDateTime.class).toInstant();
                    reject.put("rejectedAt", rejectedAt);
                    OffsetDateTime lastSeen = rs.getObject(5, OffsetDateTime.class);
                    reject.put("lastSeenAt", lastSeen == null ? rejectedAt : lastSeen.toInstant());
                    OffsetDateTime closed = rs.getObject(6, OffsetDateTime.class);
                    reject.put("closedAt", closed == null ? null : closed.toInstant());
                    return (Map<String, Object>) reject;
                })
                .list();
    }

    void pollSucceeded(String connectorId, Instant now) {
        int updated = jdbc.sql("""
                update crm_poll_health set last_poll_at = ?, last_outcome = ?, last_error = null, consecutive_failures = 0,
                       failing_since = null, last_success_at = ? where connector_id = ?""")
                .params(utc(now), PollHealth.Outcome.SUCCESS.name(), utc(now), connectorId)
                .update();
        if (updated == 0) {
            jdbc.sql("""
                    insert into crm_poll_health (connector_id, last_poll_at, last_outcome, consecutive_failures, last_success_at)
                    values (?, ?, ?, 0, ?)""")
                    .params(connectorId, utc(now), PollHealth.Outcome.SUCCESS.name(), utc(now))
                    .update();
        }
    }

    void pollFailed(String connectorId, String error, Instant now) {
        int updated = jdbc.sql("""
                update crm_poll_health set last_poll_at = ?, last_outcome = ?, last_error = ?,
                       consecutive_failures = consecutive_failures + 1, failing_since = coalesce(failing_since, cast(? as timestamp with time zone))
                 where connector_id = ?""")
                .params(utc(now), PollHealth.Outcome.FAILED.name(), error, utc(now), connectorId)
                .update();
        if (updated == 0) {
            jdbc.sql("""
                    insert into crm_poll_health (connector_id, last_poll_at, last_outcome, last_error, consecutive_failures, failing_since)
                    values (?, ?, ?, ?, 1, ?)""")
                    .params(connectorId, utc(now), PollHealth.Outcome.FAILED.name(), error, utc(now))
                    .update();
        }
    }

    Optional<PollHealth> pollHealth(String connectorId) {
        return jdbc.sql("select " + POLL_HEALTH + " from crm_poll_health where connector_id = ?")
                .param(connectorId)
                .query(CrmRecordStore::pollHealthRow)
                .optional();
    }

    List<PollHealth> pollHealth() {
        return jdbc.sql("select " + POLL_HEALTH + " from crm_poll_health order by connector_id")
                .query(CrmRecordStore::pollHealthRow)
                .list();
    }

    private static final String POLL_HEALTH =
            "connector_id, last_poll_at, last_outcome, last_error, consecutive_failures, failing_since, last_success_at";

    private static PollHealth pollHealthRow(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new PollHealth(rs.getString(1), instant(rs.getObject(2, OffsetDateTime.class)),
                PollHealth.Outcome.valueOf(rs.getString(3)), rs.getString(4), rs.getInt(5),
                instant(rs.getObject(6, OffsetDateTime.class)), instant(rs.getObject(7, OffsetDateTime.class)));
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
