package io.consenthub.crm;

import io.consenthub.contact.ContactDirectory;
import io.consenthub.contact.ContactId;
import io.consenthub.contact.CrmLink;
import io.consenthub.contact.EmailAddress;
import io.consenthub.consent.optin.EmailOptIn;
import io.consenthub.consent.optin.EmailOptInStatus;
import io.consenthub.crm.jdbc.JdbcCrmSync;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import io.consenthub.support.ApiClient;
import io.consenthub.support.TestKeys;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;
import io.consenthub.consent.ActorKind;
import io.consenthub.consent.Evidence;
import io.consenthub.consent.optin.OptInAction;
import java.time.Instant;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Ordinary CRM data that must never stop a poll or lose an opt-out, through the generic JDBC
 * connector (the demo CRM's vtiger-shaped tables, edited by each test). Run against the hub on H2
 * ({@link JdbcCrmSyncRowsOnH2Test}) and on PostgreSQL ({@link JdbcCrmSyncRowsOnPostgresTest}).
 */
@TestPropertySource(properties = {
        // joined-crm: opt-outs in a joined table, caught by its reconcile (polled by hand here).
        "consent-hub.crm.connectors.joined-crm.kind=jdbc",
        "consent-hub.crm.connectors.joined-crm.enabled=true",
        "consent-hub.crm.connectors.joined-crm.jdbc.url=" + JdbcCrmSyncRowsTest.JOINED_CRM,
        "consent-hub.crm.connectors.joined-crm.jdbc.username=sa",
        "consent-hub.crm.connectors.joined-crm.jdbc.init-script=classpath:joined-crm/schema.sql",
        "consent-hub.crm.connectors.joined-crm.query=select p.id, p.email, p.modified, coalesce(o.opted_out, 0) as optout "
                + "from people_a p left join optouts_a o on o.person_id = p.id where p.modified >= :since order by p.modified, p.id",
        "consent-hub.crm.connectors.joined-crm.reconcile.period=1h",
        "consent-hub.crm.connectors.joined-crm.columns.external-id=id",
        "consent-hub.crm.connectors.joined-crm.columns.modified=modified",
        "consent-hub.crm.connectors.joined-crm.columns.email=email",
        "consent-hub.crm.connectors.joined-crm.columns.email-opt-out=optout",
        // joined-fast: the same kind of CRM with an opt-out query polled with every tick.
        "consent-hub.crm.connectors.joined-fast.kind=jdbc",
        "consent-hub.crm.connectors.joined-fast.enabled=true",
        "consent-hub.crm.connectors.joined-fast.jdbc.url=" + JdbcCrmSyncRowsTest.JOINED_CRM,
        "consent-hub.crm.connectors.joined-fast.jdbc.username=sa",
        "consent-hub.crm.connectors.joined-fast.jdbc.init-script=classpath:joined-crm/schema.sql",
        "consent-hub.crm.connectors.joined-fast.query=select p.id, p.email, p.modified, coalesce(o.opted_out, 0) as optout "
                + "from people_b p left join optouts_b o on o.person_id = p.id where p.modified >= :since order by p.modified, p.id",
        "consent-hub.crm.connectors.joined-fast.opt-out-query=select person_id as id, opted_out as optout, changed as modified "
                + "from optouts_b where changed >= :since order by changed",
        "consent-hub.crm.connectors.joined-fast.columns.external-id=id",
        "consent-hub.crm.connectors.joined-fast.columns.modified=modified",
        "consent-hub.crm.connectors.joined-fast.columns.email=email",
        "consent-hub.crm.connectors.joined-fast.columns.email-opt-out=optout"
})
abstract class JdbcCrmSyncRowsTest {

    static final String JOINED_CRM = "jdbc:h2:mem:joined-crm;DB_CLOSE_DELAY=-1;MODE=MySQL;DATABASE_TO_LOWER=TRUE";

    private static final AtomicInteger NEXT_ID = new AtomicInteger(5000);

    @Autowired
    JdbcCrmSync crmSync;
    @Autowired
    CrmSyncLog syncLog;
    @Autowired
    ContactDirectory contacts;
    @Autowired
    EmailOptIn optIn;
    @Autowired
    JdbcTemplate hub;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    CrmReconciliation reconciliation;
    @LocalServerPort
    int port;

    JdbcTemplate joined = new JdbcTemplate(new DriverManagerDataSource(JOINED_CRM, "sa", ""));
    LocalDateTime t0 = LocalDateTime.of(2026, 3, 1, 8, 0);

    /** A person in one of the joined CRMs ("a" or "b"); returns the email. */
    String person(String crm, int id) {
        return person(crm, id, t0);
    }

    String person(String crm, int id, LocalDateTime modified) {
        String email = "joined." + crm + "." + id + "@example.com";
        joined.update("insert into people_" + crm + " (id, email, modified) values (?, ?, ?)", id, email, Timestamp.valueOf(modified));
        return email;
    }

    /** The CRM records an opt-out in its joined table only: the person's modified time stays. */
    void optOutInJoinedTable(String crm, int id) {
        joined.update("insert into optouts_" + crm + " (person_id, opted_out, changed) values (?, 1, ?)",
                id, Timestamp.valueOf(LocalDateTime.now()));
    }

    long ledgerEvents() {
        return hub.queryForObject("select count(*) from consent_event", Long.class);
    }

    @Test
    void anOptOutThatChangesNoRecordTimestampArrivesWithTheReconcileAndPurgedRecordsAreReported() {
        int kept = NEXT_ID.incrementAndGet();
        int purged = NEXT_ID.incrementAndGet();
        String email = person("a", kept);
        person("a", purged);
        // a later edit elsewhere moves the watermark past the two records
        person("a", NEXT_ID.incrementAndGet(), t0.plusMinutes(1));
        crmSync.poll("joined-crm");
        assertThat(statusOf(email)).isEqualTo(EmailOptInStatus.NONE);

        optOutInJoinedTable("a", kept);
        joined.update("delete from people_a where id = ?", purged);
        crmSync.poll("joined-crm");
        assertThat(statusOf(email)).as("the record query cannot see it").isEqualTo(EmailOptInStatus.NONE);

        var reconciled = crmSync.reconcile("joined-crm");

        assertThat(statusOf(email)).isEqualTo(EmailOptInStatus.OPT_OUT_USER);
        assertThat(reconciled.seen()).isGreaterThanOrEqualTo(1);
        var run = reconciliation.last("joined-crm").orElseThrow();
        assertThat(run.finishedAt()).isNotNull();
        assertThat(reconciliation.missing("joined-crm", 1000)).contains(String.valueOf(purged)).doesNotContain(String.valueOf(kept));
        assertThat(run.missing()).isGreaterThanOrEqualTo(1);
        var report = new ApiClient(port).get("/api/crm/joined-crm/reconcile", TestKeys.ADMIN);
        assertThat(report.status()).isEqualTo(200);
        assertThat(report.json().path("lastRun").path("missing").asLong()).isEqualTo(run.missing());
        assertThat(report.json().path("missingInCrm").toString()).contains("\"" + purged + "\"");
        assertThat(crmSync.poll("joined-crm").watermark()).as("a reconcile never moves the watermark back")
                .isAfterOrEqualTo(t0.plusMinutes(1));
    }

    long count(String table) {
        return hub.queryForObject("select count(*) from " + table, Long.class);
    }

    @Test
    void aDryRunShowsWhatWouldBeAppliedRejectedAndWrittenBackAndWritesNothing() {
        int fresh = record("dry.run.new@example.com", true, "Dora");
        int bad = record("not-an-email", false, "Dan");
        var before = java.util.List.of(count("contact"), count("consent_event"), count("outbox"), count("crm_reject"),
                count("crm_record"), count("crm_conflict"));
        LocalDateTime watermark = watermark();

        var answer = new ApiClient(port).post("/api/crm/demo-crm/dry-run?limit=50", TestKeys.ADMIN, "");

        assertThat(answer.status()).isEqualTo(200);
        var rows = answer.json().path("rows");
        var byId = new java.util.HashMap<String, com.fasterxml.jackson.databind.JsonNode>();
        rows.forEach(row -> byId.put(row.path("externalId").asText(), row));
        assertThat(byId.get(String.valueOf(fresh)).path("outcome").asText()).isEqualTo("CREATED");
        assertThat(byId.get(String.valueOf(fresh)).path("optInAfter").asText()).isEqualTo("OPT_OUT_USER");
        assertThat(byId.get(String.valueOf(bad)).path("outcome").asText()).isEqualTo("REJECTED");
        assertThat(byId.get(String.valueOf(bad)).path("reason").asText()).contains("email");
        assertThat(answer.text()).doesNotContain("dry.run.new@example.com").doesNotContain("Dora");
        assertThat(java.util.List.of(count("contact"), count("consent_event"), count("outbox"), count("crm_reject"),
                count("crm_record"), count("crm_conflict"))).as("a dry run writes nothing").isEqualTo(before);
        assertThat(watermark()).isEqualTo(watermark);

        crmSync.poll("demo-crm");
        assertThat(statusOf("dry.run.new@example.com")).isEqualTo(EmailOptInStatus.OPT_OUT_USER);
    }

    @Test
    void anOptOutQueryBringsAJoinedTableOptOutWithTheNextTickAndAppliesItOnce() {
        int id = NEXT_ID.incrementAndGet();
        String email = person("b", id);
        person("b", NEXT_ID.incrementAndGet(), t0.plusMinutes(1));
        crmSync.poll("joined-fast");
        assertThat(statusOf(email)).isEqualTo(EmailOptInStatus.NONE);

        optOutInJoinedTable("b", id);
        crmSync.poll("joined-fast");

        assertThat(statusOf(email)).isEqualTo(EmailOptInStatus.OPT_OUT_USER);
        long events = ledgerEvents();
        crmSync.poll("joined-fast");
        crmSync.poll("joined-fast");
        assertThat(ledgerEvents()).as("re-read opt-out rows are applied once").isEqualTo(events);
    }

    abstract String crmUrl();

    JdbcTemplate crm() {
        return new JdbcTemplate(new DriverManagerDataSource(crmUrl(), "sa", ""));
    }

    @BeforeEach
    void firstPollByTheRouteIsDone() {
        await().atMost(Duration.ofSeconds(30)).until(() -> syncLog.status("demo-crm").isPresent());
        crm().execute("alter table vtiger_contactdetails alter column firstname varchar(5000)");
    }

    private LocalDateTime watermark() {
        return syncLog.status("demo-crm").orElseThrow().watermark();
    }

    /** Adds a CRM record modified after the watermark; returns its id. */
    int record(String email, boolean optedOut, String firstName) {
        return record(NEXT_ID.incrementAndGet(), email, optedOut, firstName);
    }

    int record(int id, String email, boolean optedOut, String firstName) {
        var crm = crm();
        crm.update("insert into vtiger_crmentity (crmid, setype, createdtime, modifiedtime, deleted, label) values (?, 'Contacts', ?, ?, 0, 'x')",
                id, Timestamp.valueOf(watermark()), Timestamp.valueOf(watermark().plusSeconds(5)));
        crm.update("insert into vtiger_contactdetails (contactid, contact_no, firstname, lastname, email, emailoptout) values (?, ?, ?, 'Test', ?, ?)",
                id, "CON" + id, firstName, email, optedOut ? "1" : "0");
        return id;
    }

    void touch(int id) {
        crm().update("update vtiger_crmentity set modifiedtime = ? where crmid = ?", Timestamp.valueOf(watermark().plusSeconds(5)), id);
    }

    EmailOptInStatus statusOf(String email) {
        return optIn.status(contacts.findByEmail(new EmailAddress(email)).orElseThrow());
    }

    ContactId linked(int id) {
        return contacts.findByLink(new CrmLink("demo-crm", String.valueOf(id))).orElseThrow();
    }

    @Test
    void aPollOfManyBatchesAppliesEveryBatchInOrderWithItsRejectsAndEndsAtTheLastRowsWatermark() {
        // 5 000 rows: three batches of the pipelined poll (mapping batch n+1 while batch n is applied)
        var crm = crm();
        int first = NEXT_ID.getAndAdd(5_000) + 1;
        LocalDateTime start = watermark().plusSeconds(5);
        var entities = new java.util.ArrayList<Object[]>();
        var details = new java.util.ArrayList<Object[]>();
        for (int i = 0; i < 5_000; i++) {
            int id = first + i;
            // a bad email in every batch, an opt-out every 100th row, and row 4 999 shares the email of row 0
            String email = i % 1_000 == 500 ? "no-at-sign-" + i : i == 4_999 ? "MANY.0@example.com" : "many." + i + "@example.com";
            entities.add(new Object[] {id, Timestamp.valueOf(start), Timestamp.valueOf(start.plusSeconds(i))});
            details.add(new Object[] {id, "CON" + id, "Many" + i, email, i % 100 == 7 ? "1" : "0"});
        }
        crm.batchUpdate("insert into vtiger_crmentity (crmid, setype, createdtime, modifiedtime, deleted, label) values (?, 'Contacts', ?, ?, 0, 'x')",
                entities);
        crm.batchUpdate("insert into vtiger_contactdetails (contactid, contact_no, firstname, lastname, email, emailoptout) values (?, ?, ?, 'Test', ?, ?)",
                details);

        long atTheWatermark = crm.queryForObject("select count(*) from vtiger_crmentity where modifiedtime = ?", Long.class,
                Timestamp.valueOf(watermark()));

        var result = crmSync.poll("demo-crm");

        assertThat(result.seen()).as("the 5 000 rows and those re-read at the stored watermark").isEqualTo(5_000 + atTheWatermark);
        assertThat(result.rejected()).isEqualTo(5);
        assertThat(result.watermark()).isEqualTo(start.plusSeconds(4_999));
        assertThat(watermark()).isEqualTo(start.plusSeconds(4_999));
        assertThat(linked(first + 4_999)).as("a record of the last batch reaches the contact of the first")
                .isEqualTo(linked(first));
        assertThat(statusOf("many.4207@example.com")).isEqualTo(EmailOptInStatus.OPT_OUT_USER);
        assertThat(statusOf("many.4208@example.com")).isEqualTo(EmailOptInStatus.NONE);
        assertThat(syncLog.rejects("demo-crm", 1_000).stream().map(r -> r.get("externalId").toString()).toList())
                .contains(String.valueOf(first + 500), String.valueOf(first + 2_500), String.valueOf(first + 4_500));
        assertThat(hub.queryForObject("select count(*) from crm_link where connector_id = 'demo-crm' and cast(external_id as integer) between ? and ?",
                Long.class, first, first + 4_999)).isEqualTo(4_995);
        assertThat(crmSync.poll("demo-crm").applied()).as("nothing is applied twice").isZero();
    }

    @Test
    void twoNewOptedOutRecordsSharingAnEmailInOneBatchAreBothApplied() {
        int first = record("twin.optout@example.com", true, "Tina");
        int second = record(" Twin.OptOut@Example.com", true, "Tina");
        LocalDateTime before = watermark();

        var result = crmSync.poll("demo-crm");

        assertThat(result.rejected()).isZero();
        assertThat(watermark()).isAfter(before);
        assertThat(linked(first)).isEqualTo(linked(second));
        assertThat(statusOf("twin.optout@example.com")).isEqualTo(EmailOptInStatus.OPT_OUT_USER);
        assertThat(crmSync.poll("demo-crm").applied()).isZero();
    }

    @Test
    void aRowThatCannotEvenBeRecordedIsSkippedAndTheGoodRowsOfItsBatchArrive() {
        int bad = record("nul\u0000byte@example.com", false, "Nul");
        record("after.nul@example.com", false, "Good");

        var result = crmSync.poll("demo-crm");

        assertThat(contacts.findByEmail(new EmailAddress("after.nul@example.com"))).isPresent();
        assertThat(result.rejected()).isEqualTo(1);
        assertThat(syncLog.rejects("demo-crm", 100)).anySatisfy(reject -> {
            assertThat(reject.get("externalId")).isEqualTo(String.valueOf(bad));
            assertThat(reject.get("reason").toString()).contains("email").doesNotContain("nul").doesNotContain("\u0000");
        });
    }

    @Test
    void anOptOutIsAppliedEvenWhenAnUnrelatedFieldIsTooLong() {
        int existing = record("long.field@example.com", false, "Lena");
        crmSync.poll("demo-crm");
        crm().update("update vtiger_contactdetails set emailoptout = '1', firstname = ?, lastname = 'Lind' where contactid = ?",
                "L".repeat(4001), existing);
        touch(existing);
        int fresh = record("long.fresh@example.com", true, "F".repeat(4001));

        crmSync.poll("demo-crm");

        assertThat(statusOf("long.field@example.com")).isEqualTo(EmailOptInStatus.OPT_OUT_USER);
        assertThat(statusOf("long.fresh@example.com")).isEqualTo(EmailOptInStatus.OPT_OUT_USER);
        assertThat(contacts.get(linked(existing)).attributes().values())
                .containsEntry("firstName", "Lena").containsEntry("lastName", "Lind");
        assertThat(contacts.get(linked(fresh)).attributes().values()).doesNotContainKey("firstName");
        assertThat(syncLog.rejects("demo-crm", 100)).anySatisfy(reject -> {
            assertThat(reject.get("externalId")).isEqualTo(String.valueOf(existing));
            assertThat(reject.get("reason").toString()).contains("firstName");
        });
    }

    @Test
    void anEmailThatDiffersOnlyInCapitalsKeepsTheOptIn() {
        int id = record("w9.casetest@example.com", false, "Case");
        crmSync.poll("demo-crm");
        tx.executeWithoutResult(t -> optIn.apply(linked(id), OptInAction.SET_SINGLE_OPT_IN_USER,
                new Evidence(ActorKind.USER, "test-user", "api", Instant.now(), null, null, null, null)));
        crm().update("update vtiger_contactdetails set email = ? where contactid = ?", "W9.CaseTest@Example.com", id);
        touch(id);

        crmSync.poll("demo-crm");

        assertThat(statusOf("w9.casetest@example.com")).isEqualTo(EmailOptInStatus.SINGLE_OPT_IN_USER);
        assertThat(contacts.get(linked(id)).primaryEmail().value()).isEqualTo("W9.CaseTest@Example.com");
    }

    @Test
    void duplicatesInOneCrmAreRecordedAndTheLowestRecordIdWinsInAnyOrder() {
        int low = NEXT_ID.addAndGet(2) - 1;
        int high = low + 1;
        record(high, "Dup.Person@example.com", false, "High");
        crmSync.poll("demo-crm");
        record(low, "dup.person@example.com", false, "Low");
        crmSync.poll("demo-crm");
        crm().update("update vtiger_contactdetails set firstname = 'Higher', emailoptout = '1' where contactid = ?", high);
        touch(high);

        crmSync.poll("demo-crm");

        var contact = contacts.get(linked(high));
        assertThat(linked(low)).isEqualTo(contact.id());
        assertThat(contact.attributes().values()).containsEntry("firstName", "Low");
        assertThat(contact.primaryEmail().value()).isEqualTo("dup.person@example.com");
        assertThat(statusOf("dup.person@example.com")).isEqualTo(EmailOptInStatus.OPT_OUT_USER);
        assertThat(syncLog.conflicts("demo-crm", 100)).anySatisfy(conflict -> {
            assertThat(conflict.get("kind")).isEqualTo("DUPLICATE_IN_CRM");
            assertThat(conflict.get("detail").toString()).contains("record " + low + " are kept").doesNotContain("@");
        });
    }
}
