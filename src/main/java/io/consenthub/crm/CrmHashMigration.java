package io.consenthub.crm;

import org.flywaydb.core.api.migration.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Flyway migration 17.1: turns the bare CRM hashes earlier versions stored (SHA-256 of a row,
 * 8-byte SHA-256 prefixes of each value, which give a national ID away to anyone who hashes the
 * candidates) into keyed MACs, in place. Each keyed hash is computed from the bare one
 * ({@link CrmHashes}), so no CRM is re-read and no record looks changed afterwards.
 *
 * <p>A Spring bean, like migration 12.1: it needs the index keyset, which Flyway's class-path scan
 * could not give it. It works on Flyway's connection, in Flyway's transaction.
 */
@Component
public class CrmHashMigration extends io.consenthub.shared.BeanMigration {

    private static final Logger log = LoggerFactory.getLogger(CrmHashMigration.class);
    private static final int PAGE = 1_000;

    private final CrmHashes hashes;

    CrmHashMigration(CrmHashes hashes) {
        super("17.1", "key the CRM change-detection hashes");
        this.hashes = hashes;
    }


    @Override
    public void migrate(Context context) throws SQLException {
        Connection connection = context.getConnection();
        long records = rekeyRecords(connection);
        long optOutRows = rekeyColumn(connection, "crm_opt_out_record");
        long rejects = rekeyColumn(connection, "crm_reject");
        log.info("Keyed the CRM hashes of {} records, {} opt-out query rows and {} rejects", records, optOutRows, rejects);
    }

    private long rekeyRecords(Connection connection) throws SQLException {
        record Row(String connector, String externalId, String rowHash, String valueHashes) {
        }
        long count = 0;
        String afterConnector = "";
        String afterId = "";
        while (true) {
            var page = new ArrayList<Row>();
            try (PreparedStatement select = connection.prepareStatement("""
                    select connector_id, external_id, row_hash, value_hashes from crm_record
                     where connector_id > ? or (connector_id = ? and external_id > ?)
                     order by connector_id, external_id fetch first %d rows only""".formatted(PAGE))) {
                select.setString(1, afterConnector);
                select.setString(2, afterConnector);
                select.setString(3, afterId);
                try (var rs = select.executeQuery()) {
                    while (rs.next()) {
                        page.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                    }
                }
            }
            if (page.isEmpty()) {
                return count;
            }
            try (PreparedStatement update = connection.prepareStatement(
                    "update crm_record set row_hash = ?, value_hashes = ? where connector_id = ? and external_id = ?")) {
                for (Row row : page) {
                    update.setString(1, hashes.row(row.rowHash().trim()));
                    update.setString(2, rekeyValues(row.valueHashes()));
                    update.setString(3, row.connector());
                    update.setString(4, row.externalId());
                    update.addBatch();
                }
                update.executeBatch();
            }
            count += page.size();
            Row last = page.get(page.size() - 1);
            afterConnector = last.connector();
            afterId = last.externalId();
        }
    }

    /** "name=bare;name=bare" as stored before, with each bare value hash keyed. */
    String rekeyValues(String stored) {
        if (stored == null || stored.isEmpty()) {
            return stored;
        }
        var out = new StringBuilder();
        for (String pair : stored.split(";")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            out.append(out.isEmpty() ? "" : ";").append(pair, 0, eq + 1).append(hashes.keyedValue(pair.substring(eq + 1)));
        }
        return out.toString();
    }

    /** Keys the row_hash column of a table whose rows carry one, row by row (by the table's own row identity). */
    private long rekeyColumn(Connection connection, String table) throws SQLException {
        List<String> bare = new ArrayList<>();
        try (var select = connection.prepareStatement("select distinct row_hash from " + table + " where row_hash is not null");
             var rs = select.executeQuery()) {
            while (rs.next()) {
                bare.add(rs.getString(1).trim());
            }
        }
        try (var update = connection.prepareStatement("update " + table + " set row_hash = ? where row_hash = ?")) {
            for (String hash : bare) {
                update.setString(1, hashes.row(hash));
                update.setString(2, hash);
                update.addBatch();
            }
            update.executeBatch();
        }
        return bare.size();
    }
}
