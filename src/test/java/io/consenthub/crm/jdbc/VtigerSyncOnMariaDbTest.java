package io.consenthub.crm.jdbc;

import io.consenthub.consent.ActorKind;
import io.consenthub.consent.ConsentChange;
import io.consenthub.consent.ConsentLedger;
import io.consenthub.consent.ConsentRecords;
import io.consenthub.consent.EventType;
import io.consenthub.consent.Evidence;
import io.consenthub.contact.ContactDirectory;
import io.consenthub.contact.ContactId;
import io.consenthub.contact.CrmLink;
import io.consenthub.crm.CrmSyncLog;
import io.consenthub.consent.optin.EmailOptIn;
import io.consenthub.consent.optin.EmailOptInStatus;
import io.consenthub.consent.optin.OptInAction;
import io.consenthub.support.ApiClient;
import io.consenthub.support.ConnectorConfig;
import io.consenthub.support.HubTest;
import io.consenthub.support.MariaDbTestDatabase;
import io.consenthub.support.PostgresTestDatabase;
import io.consenthub.support.RequiresMariaDb;
import io.consenthub.support.RequiresPostgres;
import io.consenthub.support.TestKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The shipped vtiger mapping ({@code config/crm/vtiger.yaml.example}) against a real vtiger schema
 * in the local MariaDB, the hub on PostgreSQL: sync in by modifiedtime, soft deletes, the
 * emailoptout flag, a record edited twice within one second, a bad row, consent changes in the
 * hub written back into vtiger's own tables by the write-back route, and a first sync large enough
 * to refresh the store's planner statistics.
 */
@ExtendWith({RequiresPostgres.class, RequiresMariaDb.class})
@HubTest
class VtigerSyncOnMariaDbTest {

    private static final String CRM_DB = "consent_hub_vtiger_test";
    private static final LocalDateTime T0 = LocalDateTime.of(2026, 1, 10, 9, 0, 0);
    /** Enough older contacts for the first poll to pass the sync's first statistics refresh (5 000 rows). */
    private static final int BULK_FROM = 20_001;
    private static final int BULK = 5_000;
    private static String crmUrl;

    @DynamicPropertySource
    static void stores(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.register(registry, "consent_hub_vtiger_test");
        ConnectorConfig.load(registry, "config/crm/vtiger.yaml.example");
        registry.add("VTIGER_DB_URL", VtigerSyncOnMariaDbTest::crm);
        registry.add("VTIGER_DB_USER", () -> "root");
        registry.add("VTIGER_DB_PASSWORD", () -> "");
        registry.add("VTIGER_POLL_PERIOD", () -> "1h");
        // A second, route-less connector on the same MariaDB for a legacy table; polled by hand.
        String legacy = "consent-hub.crm.connectors.legacy.";
        registry.add(legacy + "kind", () -> "jdbc");
        registry.add(legacy + "enabled", () -> "true");
        registry.add(legacy + "jdbc.url", VtigerSyncOnMariaDbTest::crm);
        registry.add(legacy + "jdbc.username", () -> "root");
        registry.add(legacy + "jdbc.password", () -> "");
        registry.add(legacy + "query", () -> "select id, email, born, changed from legacy_people where changed >= :since order by changed, id");
        registry.add(legacy + "columns.external-id", () -> "id");
        registry.add(legacy + "columns.modified", () -> "changed");
        registry.add(legacy + "columns.email", () -> "email");
        registry.add(legacy + "attributes.birthYear", () -> "born");
    }

    /** Created once per JVM, with its seed rows, before the hub's first poll reads it. */
    private static synchronized String crm() {
        if (crmUrl == null) {
            crmUrl = MariaDbTestDatabase.freshVtiger(CRM_DB);
            var crm = new JdbcTemplate(new DriverManagerDataSource(crmUrl, "root", ""));
            MariaDbTestDatabase.insertContact(crm, 1001, "Anna", "Andersson", "anna@vtiger.example", false, T0);
            MariaDbTestDatabase.insertContact(crm, 1002, "Bertil", "Berg", "bertil@vtiger.example", true, T0.plusSeconds(1));
            MariaDbTestDatabase.insertContact(crm, 1003, "Cecilia", "Carlsson", "not-an-email", false, T0.plusSeconds(2));
            MariaDbTestDatabase.insertContact(crm, 1004, "David", "Dahl", "david@vtiger.example", false, T0.plusSeconds(3));
            MariaDbTestDatabase.insertContact(crm, 1005, "Eva", "Ek", "eva@vtiger.example", false, T0.plusSeconds(3));
            MariaDbTestDatabase.insertContact(crm, 1006, "Filip", "Falk", "filip@vtiger.example", false, T0.plusSeconds(4));
            MariaDbTestDatabase.insertContact(crm, 1007, "Greta", "Gran", "greta@vtiger.example", false, T0.plusSeconds(4));
            MariaDbTestDatabase.insertContact(crm, 1008, "Hanna", "Holm", "hanna@vtiger.example", false, T0.plusSeconds(5));
            MariaDbTestDatabase.insertContacts(crm, BULK_FROM, BULK, "bulk.vtiger.example", T0.minusDays(1));
        }
        return crmUrl;
    }

    @AfterAll
    static void dropCrm() {
        MariaDbTestDatabase.drop(CRM_DB);
    }

    @Autowired
    JdbcCrmSync crmSync;
    @Autowired
    CrmSyncLog syncLog;
    @Autowired
    ContactDirectory contacts;
    @Autowired
    EmailOptIn optIn;
    @Autowired
    ConsentRecords consents;
    @Autowired
    ConsentLedger ledger;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    JdbcTemplate hub;
    @LocalServerPort
    int port;

    JdbcTemplate crm = new JdbcTemplate(new DriverManagerDataSource(crm(), "root", ""));

    @BeforeEach
    void firstPollByTheRouteIsDone() {
        // the first poll's end: a long one stores its watermark after each batch already
        await().atMost(Duration.ofSeconds(30)).until(() -> syncLog.pollHealth("vtiger").map(h -> h.lastSuccessAt() != null).orElse(false));
    }

    private ContactId linked(int crmid) {
        return contacts.findByLink(new CrmLink("vtiger", String.valueOf(crmid))).orElseThrow();
    }

    private LocalDateTime watermark() {
        return syncLog.status("vtiger").orElseThrow().watermark();
    }

    private void touch(int crmid, LocalDateTime modified) {
        crm.update("update vtiger_crmentity set modifiedtime = ? where crmid = ?", Timestamp.valueOf(modified), crmid);
    }

    private Evidence user(String note) {
        return new Evidence(ActorKind.USER, "test-user", "api", Instant.now(), null, null, null, note);
    }

    private Map<String, Object> customFields(int crmid) {
        return crm.queryForMap("select cf_901, cf_902, cf_903, cf_904, cf_905 from vtiger_contactscf where contactid = ?", crmid);
    }

    @Test
    void aValueTheDriverCannotReadRefusesThatFieldAloneAndThePollGoesOnPastIt() {
        crm.execute("create or replace table legacy_people (id int primary key, email varchar(100), born year, changed datetime)");
        // MariaDB's driver cannot read the year 0000 (getObject throws): a value no mapping can fix.
        crm.update("insert into legacy_people values (1, 'legacy.one@vtiger.example', 1980, ?), "
                        + "(2, 'legacy.two@vtiger.example', 0, ?), (3, 'legacy.three@vtiger.example', 1990, ?)",
                Timestamp.valueOf(T0), Timestamp.valueOf(T0.plusSeconds(1)), Timestamp.valueOf(T0.plusSeconds(2)));

        var first = crmSync.poll("legacy");

        assertThat(first.seen()).isEqualTo(3);
        assertThat(first.applied()).isEqualTo(3);
        assertThat(first.watermark()).isEqualTo(T0.plusSeconds(2));
        assertThat(contacts.get(contacts.findByLink(new CrmLink("legacy", "1")).orElseThrow()).attributes().values())
                .containsKey("birthYear");
        assertThat(contacts.get(contacts.findByLink(new CrmLink("legacy", "2")).orElseThrow()).attributes().values())
                .doesNotContainKey("birthYear");
        assertThat(hub.queryForObject("select count(*) from crm_reject where connector_id = 'legacy' and external_id = '2' "
                + "and reason like '%birthYear%could not be read%'", Long.class)).isEqualTo(1);
        assertThat(contacts.findByLink(new CrmLink("legacy", "3"))).isPresent();
        assertThat(crmSync.poll("legacy").applied()).isZero();
    }

    @Test
    void vtigerContactsArriveWithTheirOptOutAndTheBadRowIsRejectedWithItsReason() {
        assertThat(contacts.get(linked(1001)).attributes().values())
                .containsEntry("firstName", "Anna").containsEntry("country", "Sweden").containsEntry("city", "Lund");
        assertThat(optIn.status(linked(1002))).isEqualTo(EmailOptInStatus.OPT_OUT_USER);
        assertThat(ledger.history(linked(1002))).anySatisfy(event -> {
            assertThat(event.value()).isEqualTo("OPT_OUT_USER");
            assertThat(event.evidence().actorKind()).isEqualTo(ActorKind.CRM);
            assertThat(event.evidence().proofId()).isEqualTo("vtiger/1002");
        });
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(customFields(1002)).containsEntry("cf_901", "OPT_OUT_USER"));
        assertThat(syncLog.rejects("vtiger", 100)).anySatisfy(reject -> {
            assertThat(reject.get("externalId")).isEqualTo("1003");
            assertThat(reject.get("reason").toString()).contains("not a valid email address");
        });
        var status = new ApiClient(port).get("/api/crm/vtiger/status", TestKeys.CRM);
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.json().at("/progress/rowsRejected").asLong()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aLargeFirstSyncRefreshesThePlannerStatisticsOfTheTablesItFills() {
        assertThat(contacts.findByLink(new CrmLink("vtiger", String.valueOf(BULK_FROM + BULK - 1)))).isPresent();
        assertThat(optIn.status(linked(BULK_FROM + 49))).isEqualTo(EmailOptInStatus.OPT_OUT_USER);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(hub.queryForList("""
                select relname from pg_stat_user_tables
                 where schemaname = current_schema() and last_analyze is not null""", String.class))
                .contains("contact", "crm_link", "crm_record"));
    }

    @Test
    void aRecordEditedTwiceWithinOneSecondIsAppliedBothTimes() {
        LocalDateTime second = watermark();
        crm.update("update vtiger_contactdetails set firstname = 'Annika' where contactid = 1004");
        touch(1004, second);
        crmSync.poll("vtiger");
        crm.update("update vtiger_contactdetails set firstname = 'Annie' where contactid = 1004");
        touch(1004, second);
        var again = crmSync.poll("vtiger");

        assertThat(again.applied()).isPositive();
        assertThat(contacts.get(linked(1004)).attributes().values()).containsEntry("firstName", "Annie");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(crmSync.poll("vtiger").applied()).isZero());
    }

    @Test
    void vtigersOptOutOptsOutAnOptedInContactAndClearingItNeverOptsBackIn() {
        ContactId eva = linked(1005);
        tx.executeWithoutResult(s -> optIn.apply(eva, OptInAction.SET_SINGLE_OPT_IN_USER, user("asked at a fair")));
        crm.update("update vtiger_contactdetails set emailoptout = '1' where contactid = 1005");
        touch(1005, watermark().plusSeconds(1));
        crmSync.poll("vtiger");
        assertThat(optIn.status(eva)).isEqualTo(EmailOptInStatus.OPT_OUT_USER);

        crm.update("update vtiger_contactdetails set emailoptout = '0' where contactid = 1005");
        touch(1005, watermark().plusSeconds(1));
        crmSync.poll("vtiger");

        assertThat(optIn.status(eva)).isEqualTo(EmailOptInStatus.OPT_OUT_USER);
        assertThat(hub.queryForObject("select count(*) from crm_conflict where connector_id = 'vtiger' and external_id = '1005'"
                + " and kind = 'LEAST_PERMISSIVE' and field = 'emailOptOut'", Long.class)).isPositive();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                crm.queryForObject("select emailoptout from vtiger_contactdetails where contactid = 1005", String.class)).isEqualTo("1"));
    }

    @Test
    void aConsentChangeInTheHubIsWrittenIntoVtigersRecordAndCustomFields() {
        ContactId anna = linked(1001);
        tx.executeWithoutResult(s -> consents.record(anna, "newsletter", true, user("said yes on the phone")));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(customFields(1001))
                .containsEntry("cf_901", "NONE").containsEntry("cf_904", "1").containsEntry("cf_902", "0"));

        tx.executeWithoutResult(s -> optIn.apply(anna, OptInAction.SET_OPT_OUT_USER, user("asked us to stop")));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(customFields(1001)).containsEntry("cf_901", "OPT_OUT_USER");
            assertThat(crm.queryForObject("select emailoptout from vtiger_contactdetails where contactid = 1001", String.class))
                    .isEqualTo("1");
        });
    }

    @Test
    void severalConsentChangesInOneTransactionAreWrittenBackOnceWithTheFinalState() {
        ContactId hanna = linked(1008);
        tx.executeWithoutResult(s -> {
            consents.record(hanna, "newsletter", true, user("ticked the box"));
            optIn.apply(hanna, OptInAction.SET_OPT_OUT_USER, user("then asked us to stop mailing"));
        });

        assertThat(hub.queryForObject("select count(*) from outbox where kind = 'CRM_WRITE_BACK' and contact_id = ?",
                Long.class, hanna.value())).isEqualTo(1);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(customFields(1008))
                .containsEntry("cf_901", "OPT_OUT_USER").containsEntry("cf_904", "1"));
    }

    @Test
    void aRecordDeletedInVtigerKeepsTheContactAndGetsNoWriteBack() {
        ContactId filip = linked(1006);
        crm.update("update vtiger_crmentity set deleted = 1 where crmid = 1006");
        touch(1006, watermark().plusSeconds(1));
        crmSync.poll("vtiger");
        assertThat(hub.queryForObject("select deleted_in_crm from crm_record where connector_id = 'vtiger' and external_id = '1006'",
                Boolean.class)).isTrue();

        tx.executeWithoutResult(s -> consents.record(filip, "newsletter", true, user("web chat")));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(hub.queryForList(
                "select status, last_error from outbox where kind = 'CRM_WRITE_BACK' and contact_id = ?", filip.value()))
                .anySatisfy(row -> {
                    assertThat(row.get("status")).isEqualTo("REFUSED");
                    assertThat(row.get("last_error").toString()).contains("deleted in the CRM");
                }));
        assertThat(customFields(1006)).containsEntry("cf_904", "0");
        assertThat(contacts.get(filip).attributes().values()).containsEntry("firstName", "Filip");
    }

    @Test
    void aContactWhoStoppedProcessingKeepsItsValuesAndTheRefusedEditIsRecorded() {
        ContactId greta = linked(1007);
        tx.executeWithoutResult(s -> {
            contacts.lock(greta);
            ledger.append(new ConsentChange(greta, EventType.CONSENT_GRANTED, "stop-processing", "GRANTED", null,
                    new Evidence(ActorKind.CONTACT, greta.value().toString(), "preference-page", Instant.now(),
                            "203.0.113.9", "test", "confirmation-1", null)));
        });
        crm.update("update vtiger_contactdetails set lastname = 'Granqvist' where contactid = 1007");
        touch(1007, watermark().plusSeconds(1));
        crmSync.poll("vtiger");

        assertThat(contacts.get(greta).attributes().values()).containsEntry("lastName", "Gran");
        assertThat(hub.queryForList("select kind, detail from crm_conflict where contact_id = ?", greta.value()))
                .anySatisfy(row -> {
                    assertThat(row.get("kind")).isEqualTo("STOP_PROCESSING");
                    assertThat(row.get("detail").toString()).contains("lastName");
                });
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(customFields(1007)).containsEntry("cf_902", "1"));
    }
}
