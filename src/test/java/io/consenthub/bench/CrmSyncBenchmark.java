package io.consenthub.bench;

import io.consenthub.crm.jdbc.JdbcCrmSync;
import io.consenthub.support.ConnectorConfig;
import io.consenthub.support.HubTest;
import io.consenthub.support.MariaDbTestDatabase;
import io.consenthub.support.PostgresTestDatabase;
import io.consenthub.support.RequiresMariaDb;
import io.consenthub.support.RequiresPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Benchmark, not a test (run only by {@code mvn -Pbench test}): the initial sync of N vtiger
 * contacts (default 100 000, {@code -Dbench.contacts=...}) from MariaDB into the hub on
 * PostgreSQL through the shipped vtiger mapping, against the baseline of a plain JDBC batch
 * insert of the same rows, read by the same query, into PostgreSQL in the same run; then an
 * incremental sync of 1 000 changed rows among them. Reports contacts/s and the ratio.
 *
 * <p>Both sides first run once on a separate warm-up CRM ({@code -Dbench.warmup=N}, default
 * 20 000 other contacts, synced by a copy of the same mapping), so the measured run compares
 * compiled code with compiled code and the hub already holds contacts, as it would in production.
 */
@ExtendWith({RequiresPostgres.class, RequiresMariaDb.class})
@HubTest
class CrmSyncBenchmark {

    private static final String CRM_DB = "consent_hub_bench_crm";
    private static final String WARMUP_DB = "consent_hub_bench_warmup";
    private static final int CONTACTS = Integer.getInteger("bench.contacts", 100_000);
    private static final int WARMUP = Integer.getInteger("bench.warmup", 20_000);
    private static final int CHANGED = 1_000;
    private static final LocalDateTime T0 = LocalDateTime.of(2026, 1, 1, 0, 0);
    /** The rows of the vtiger mapping's query, as the baselines read them. */
    private static final String SAME_QUERY = """
            select e.crmid, e.modifiedtime, d.firstname, d.lastname, d.email, d.phone, a.mailingcountry, a.mailingcity
              from vtiger_crmentity e
              join vtiger_contactdetails d on d.contactid = e.crmid
              left join vtiger_contactaddress a on a.contactaddressid = d.contactid
             where e.setype = 'Contacts' and e.modifiedtime >= ? order by e.modifiedtime, e.crmid""";
    private static String crmUrl;
    private static String warmupUrl;

    @DynamicPropertySource
    static void stores(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.register(registry, "consent_hub_crm_bench");
        ConnectorConfig.load(registry, "config/crm/vtiger.yaml.example");
        registry.add("VTIGER_DB_URL", CrmSyncBenchmark::crm);
        registry.add("VTIGER_DB_USER", () -> "root");
        registry.add("VTIGER_DB_PASSWORD", () -> "");
        registry.add("consent-hub.crm.connectors.vtiger.enabled", () -> "false");
        ConnectorConfig.load(registry, "config/crm/vtiger.yaml.example",
                name -> name.replace("connectors.vtiger.", "connectors.vtiger-warmup."));
        registry.add("consent-hub.crm.connectors.vtiger-warmup.jdbc.url", CrmSyncBenchmark::warmupCrm);
        registry.add("consent-hub.crm.connectors.vtiger-warmup.enabled", () -> "false");
    }

    private static synchronized String crm() {
        if (crmUrl == null) {
            crmUrl = MariaDbTestDatabase.freshVtiger(CRM_DB);
            MariaDbTestDatabase.insertContacts(new JdbcTemplate(new DriverManagerDataSource(crmUrl, "root", "")), 1, CONTACTS, "bench.example", T0);
        }
        return crmUrl;
    }

    private static synchronized String warmupCrm() {
        if (warmupUrl == null) {
            warmupUrl = MariaDbTestDatabase.freshVtiger(WARMUP_DB);
            MariaDbTestDatabase.insertContacts(new JdbcTemplate(new DriverManagerDataSource(warmupUrl, "root", "")), 1, WARMUP, "warmup.example", T0);
        }
        return warmupUrl;
    }

    @AfterAll
    static void dropCrm() {
        MariaDbTestDatabase.drop(CRM_DB);
        MariaDbTestDatabase.drop(WARMUP_DB);
    }

    @Autowired
    JdbcCrmSync crmSync;
    @Autowired
    JdbcTemplate hub;

    @Test
    void initialAndIncrementalSyncAgainstPlainBatchInsert() throws IOException {
        var warmupCrm = new JdbcTemplate(new DriverManagerDataSource(warmupCrm(), "root", ""));
        plainBatchInsert(warmupCrm, "bench_plain_warmup");
        hubRowsAlone(warmupCrm, "bench_alone_warmup", false);
        hubRowsAlone(warmupCrm, "bench_looked_warmup", true);
        crmSync.poll("vtiger-warmup");

        var crm = new JdbcTemplate(new DriverManagerDataSource(crm(), "root", ""));
        // The baselines run twice before the sync and once after it (medians of three), so a machine
        // busier during one of them moves a median less than a single run.
        double[][] baselines = new double[3][3];
        for (int round = 0; round < 2; round++) {
            baselineRound(crm, round, baselines);
        }

        long start = System.nanoTime();
        var initial = crmSync.poll("vtiger");
        double initialSeconds = (System.nanoTime() - start) / 1e9;
        double syncRate = initial.seen() / initialSeconds;
        baselineRound(crm, 2, baselines);
        double plainRate = median(baselines[0]);
        double aloneRate = median(baselines[1]);
        double lookedUpRate = median(baselines[2]);
        long contacts = hub.queryForObject("select count(*) from contact", Long.class);

        LocalDateTime later = initial.watermark().plusMinutes(5);
        crm.update("update vtiger_contactdetails set firstname = concat(firstname, ' changed') where contactid % ? = 0",
                CONTACTS / CHANGED);
        crm.update("update vtiger_crmentity set modifiedtime = ? where crmid % ? = 0", Timestamp.valueOf(later), CONTACTS / CHANGED);
        start = System.nanoTime();
        var incremental = crmSync.poll("vtiger");
        double incrementalSeconds = (System.nanoTime() - start) / 1e9;

        String report = """
                CRM sync, vtiger on MariaDB -> hub on PostgreSQL (%d contacts, after a warm-up of %d others on both sides)
                  baselines: medians of three runs, two before the sync and one after (runs: %s)
                  plain JDBC batch insert of the same rows: %.0f rows/s
                  the hub's three rows per contact alone (contact, CRM link, sync record; their indexes and foreign key;
                    no lookups, no rules), batch-inserted the same way: %.0f contacts/s, ratio to plain %.3f
                  the same three rows, each batch first looking up what a sync must know before it inserts (records and links
                    by record id, contacts by email key; one query each, keys as an array): %.0f contacts/s, ratio to rows alone %.3f
                  initial sync: %.0f contacts/s (%.1f s; %d read, %d applied, %d rejected; %d hub contacts)
                  ratio sync/plain: %.3f | sync/rows alone: %.3f | sync/rows with lookups: %.3f
                  incremental sync of %d changed among %d: %.2f s (%d read, %d applied)
                  machine: %s
                """.formatted(CONTACTS, WARMUP, runs(baselines), plainRate, aloneRate, aloneRate / plainRate, lookedUpRate, lookedUpRate / aloneRate,
                syncRate, initialSeconds, initial.seen(), initial.applied(),
                initial.rejected(), contacts, syncRate / plainRate, syncRate / aloneRate, syncRate / lookedUpRate, CHANGED, CONTACTS, incrementalSeconds,
                incremental.seen(), incremental.applied(), Machine.describe());
        System.out.println(report);
        Path out = Path.of("target", "bench", "crm-sync.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
    }

    /** The ceiling: the same query's rows, read from MariaDB and batch-inserted into PostgreSQL. */
    private double plainBatchInsert(JdbcTemplate crm, String table) {
        hub.execute("create table " + table + " (id uuid primary key, external_id varchar(255), email varchar(320), "
                + "first_name varchar(80), last_name varchar(80), phone varchar(50), country varchar(40), city varchar(40), "
                + "modified timestamp)");
        long start = System.nanoTime();
        var batch = new ArrayList<Object[]>();
        var count = new int[1];
        crm.query(SAME_QUERY,
                rs -> {
                    batch.add(new Object[] {UUID.randomUUID(), rs.getString(1), rs.getString(5), rs.getString(3), rs.getString(4),
                            rs.getString(6), rs.getString(7), rs.getString(8), rs.getTimestamp(2)});
                    count[0]++;
                    if (batch.size() == 1_000) {
                        insert(table, batch);
                    }
                }, Timestamp.valueOf(LocalDateTime.of(1970, 1, 1, 0, 0)));
        insert(table, batch);
        return count[0] / ((System.nanoTime() - start) / 1e9);
    }

    /**
     * What the store's schema costs by itself: the same rows, read by the same query, written as
     * the three rows the hub keeps per contact, into copies of its tables with their indexes and
     * the link's foreign key, batch-inserted like the baseline. No sync can beat this. With
     * {@code lookups}, each batch first asks what any sync must know before it inserts a row: whether
     * its record and its link exist, and whether its email belongs to a contact already.
     */
    private double hubRowsAlone(JdbcTemplate crm, String prefix, boolean lookups) {
        hub.execute("create table " + prefix + "_contact (like contact including all)");
        hub.execute("create table " + prefix + "_link (like crm_link including all)");
        hub.execute("alter table " + prefix + "_link add foreign key (contact_id) references " + prefix + "_contact (id)");
        hub.execute("create table " + prefix + "_record (like crm_record including all)");
        var contactRows = new ArrayList<Object[]>();
        var linkRows = new ArrayList<Object[]>();
        var recordRows = new ArrayList<Object[]>();
        var count = new int[1];
        Runnable flush = () -> {
            if (!contactRows.isEmpty()) {
                if (lookups) {
                    lookUp(prefix + "_record r on r.connector_id = 'vtiger' and r.external_id = k.v", linkRows, 0);
                    lookUp(prefix + "_link l on l.connector_id = 'vtiger' and l.external_id = k.v", linkRows, 0);
                    lookUp(prefix + "_contact c on c.email_key = k.v", contactRows, 2);
                }
                hub.batchUpdate("insert into " + prefix + "_contact (id, primary_email, email_key, attributes, created_at, updated_at, version) "
                        + "values (?, ?, ?, ?, now(), now(), 0)", contactRows);
                hub.batchUpdate("insert into " + prefix + "_link (connector_id, external_id, contact_id, linked_at) values ('vtiger', ?, ?, now())",
                        linkRows);
                hub.batchUpdate("insert into " + prefix + "_record (connector_id, external_id, row_hash, deleted_in_crm, last_synced_at, "
                        + "crm_modified, value_hashes) values ('vtiger', ?, ?, false, now(), ?, ?)", recordRows);
                contactRows.clear();
                linkRows.clear();
                recordRows.clear();
            }
        };
        long start = System.nanoTime();
        crm.query(SAME_QUERY, rs -> {
            UUID id = UUID.randomUUID();
            String email = rs.getString(5);
            contactRows.add(new Object[] {id, email, email.toLowerCase(Locale.ROOT),
                    "{\"firstName\":\"" + rs.getString(3) + "\",\"lastName\":\"" + rs.getString(4) + "\",\"phone\":\""
                            + rs.getString(6) + "\",\"country\":\"" + rs.getString(7) + "\",\"city\":\"" + rs.getString(8) + "\"}"});
            linkRows.add(new Object[] {rs.getString(1), id});
            recordRows.add(new Object[] {rs.getString(1), "%064d".formatted(count[0]), rs.getTimestamp(2),
                    "city=0123456789abcdef;country=0123456789abcdef;firstName=0123456789abcdef;lastName=0123456789abcdef"});
            count[0]++;
            if (contactRows.size() == 1_000) {
                flush.run();
                if (lookups && (count[0] == 5_000 || count[0] == 20_000)) {
                    // as the sync does: its lookups get index plans on tables that started empty
                    hub.execute("analyze " + prefix + "_contact, " + prefix + "_link, " + prefix + "_record");
                }
            }
        }, Timestamp.valueOf(LocalDateTime.of(1970, 1, 1, 0, 0)));
        flush.run();
        return count[0] / ((System.nanoTime() - start) / 1e9);
    }

    private void baselineRound(JdbcTemplate crm, int round, double[][] rates) {
        rates[0][round] = plainBatchInsert(crm, "bench_plain_" + round);
        rates[1][round] = hubRowsAlone(crm, "bench_alone_" + round, false);
        rates[2][round] = hubRowsAlone(crm, "bench_looked_" + round, true);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static String runs(double[][] rates) {
        var text = new StringBuilder();
        String[] names = {"plain", "rows alone", "rows with lookups"};
        for (int i = 0; i < rates.length; i++) {
            text.append(i == 0 ? "" : "; ").append(names[i]).append(' ');
            text.append(java.util.Arrays.stream(rates[i]).mapToObj(r -> "%.0f".formatted(r)).collect(java.util.stream.Collectors.joining(" / ")));
        }
        return text.toString();
    }

    /** One set-based lookup of a batch's keys (column {@code column} of its rows), as the sync makes them. */
    private void lookUp(String join, List<Object[]> rows, int column) {
        String[] keys = rows.stream().map(r -> r[column].toString()).toArray(String[]::new);
        hub.query("select k.v from unnest(cast(? as varchar array)) k(v) join " + join, rs -> {
        }, (Object) keys);
    }

    private void insert(String table, List<Object[]> batch) {
        if (!batch.isEmpty()) {
            hub.batchUpdate("insert into " + table + " (id, external_id, email, first_name, last_name, phone, country, city, modified) "
                    + "values (?, ?, ?, ?, ?, ?, ?, ?, ?)", batch);
            batch.clear();
        }
    }
}
