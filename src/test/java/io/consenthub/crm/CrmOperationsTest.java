package io.consenthub.crm;

import com.fasterxml.jackson.databind.JsonNode;
import io.consenthub.consent.ActorKind;
import io.consenthub.consent.Evidence;
import io.consenthub.consent.optin.EmailOptIn;
import io.consenthub.consent.optin.EmailOptInStatus;
import io.consenthub.consent.optin.OptInAction;
import io.consenthub.contact.ContactDirectory;
import io.consenthub.contact.ContactId;
import io.consenthub.contact.CrmLink;
import io.consenthub.crm.jdbc.JdbcCrmSync;
import io.consenthub.support.ApiClient;
import io.consenthub.support.TestKeys;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Running a CRM connector: failures that show (status, metrics, health), a reject list without
 * noise, write-back outcomes that say what happened, and CRM opt-out flags the hub raised itself
 * that are not read back as the CRM's. Three JDBC connectors: {@code demo-crm} (vtiger-shaped, no
 * {@code exists-query}), {@code clearing-crm} (a small table, with an {@code exists-query} and
 * {@code clear-hub-raised-opt-out}) and {@code broken-crm} (its query names a table that is not
 * there until the test creates it; on H2, or PostgreSQL when the hub is). Run on H2 ({@link CrmOperationsOnH2Test}) and PostgreSQL
 * ({@link CrmOperationsOnPostgresTest}).
 */
@TestPropertySource(properties = {
        "consent-hub.crm.write-back-period=100",
        "consent-hub.crm.health.failing-after=0s",
        CrmOperationsTest.PROPERTIES_DEMO + "enabled=true",
        CrmOperationsTest.PROPERTIES_DEMO + "poll-period=1h",
        CrmOperationsTest.PROPERTIES_DEMO + "write-back.statements[0]=" + CrmOperationsTest.RAISE_FLAG,
        CrmOperationsTest.PROPERTIES_DEMO + "write-back.statements[1]=" + CrmOperationsTest.CUSTOM_FIELDS,
        CrmOperationsTest.PROPERTIES_CLEARING + "kind=jdbc",
        CrmOperationsTest.PROPERTIES_CLEARING + "enabled=true",
        CrmOperationsTest.PROPERTIES_CLEARING + "jdbc.username=sa",
        CrmOperationsTest.PROPERTIES_CLEARING + "jdbc.password=",
        CrmOperationsTest.PROPERTIES_CLEARING + "query=" + CrmOperationsTest.PEOPLE_QUERY,
        CrmOperationsTest.PROPERTIES_CLEARING + "columns.external-id=id",
        CrmOperationsTest.PROPERTIES_CLEARING + "columns.modified=modified",
        CrmOperationsTest.PROPERTIES_CLEARING + "columns.email=email",
        CrmOperationsTest.PROPERTIES_CLEARING + "columns.email-opt-out=optout",
        CrmOperationsTest.PROPERTIES_CLEARING + "attributes.firstName=firstname",
        CrmOperationsTest.PROPERTIES_CLEARING + "write-back.statements[0]=update people set optout = '1'"
                + " where id = :externalId and :emailOptOut = '1' and optout <> '1'",
        CrmOperationsTest.PROPERTIES_CLEARING + "write-back.statements[1]=update people set optout = '0'"
                + " where id = :externalId and :clearOptOut = '1' and optout = '1'",
        CrmOperationsTest.PROPERTIES_CLEARING + "write-back.statements[2]=" + CrmOperationsTest.CUSTOM_FIELDS,
        CrmOperationsTest.PROPERTIES_CLEARING + "write-back.exists-query=select 1 from people where id = :externalId",
        CrmOperationsTest.PROPERTIES_CLEARING + "write-back.clear-hub-raised-opt-out=true",
        CrmOperationsTest.PROPERTIES_BROKEN + "kind=jdbc",
        CrmOperationsTest.PROPERTIES_BROKEN + "enabled=true",
        CrmOperationsTest.PROPERTIES_BROKEN + "jdbc.username=sa",
        CrmOperationsTest.PROPERTIES_BROKEN + "jdbc.password=",
        CrmOperationsTest.PROPERTIES_BROKEN + "query=select id, modified, email from people_missing where modified >= :since",
        CrmOperationsTest.PROPERTIES_BROKEN + "columns.external-id=id",
        CrmOperationsTest.PROPERTIES_BROKEN + "columns.modified=modified",
        CrmOperationsTest.PROPERTIES_BROKEN + "columns.email=email"
})
abstract class CrmOperationsTest {

    static final String PROPERTIES_DEMO = "consent-hub.crm.connectors.demo-crm.";
    static final String PROPERTIES_CLEARING = "consent-hub.crm.connectors.clearing-crm.";
    static final String PROPERTIES_BROKEN = "consent-hub.crm.connectors.broken-crm.";
    static final String RAISE_FLAG = "update vtiger_contactdetails set emailoptout = '1'"
            + " where contactid = :externalId and :emailOptOut = '1' and emailoptout <> '1'";
    /** The consents block goes into a custom-field table whose row the CRM creates lazily. */
    static final String CUSTOM_FIELDS = "update consent_cf set opt_in_status = :optInStatus where contactid = :externalId";
    static final String PEOPLE_QUERY = "select id, modified, email, optout, firstname from people where modified >= :since order by modified, id";

    private static final AtomicInteger NEXT_ID = new AtomicInteger(8000);

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
    CamelContext camel;
    @Autowired
    MeterRegistry meters;
    @LocalServerPort
    int port;

    abstract String demoCrmUrl();

    abstract String clearingCrmUrl();

    /** The CRM whose poll fails until the test creates the table its query reads. */
    abstract JdbcTemplate brokenCrm();

    JdbcTemplate demoCrm() {
        return new JdbcTemplate(new DriverManagerDataSource(demoCrmUrl(), "sa", ""));
    }

    JdbcTemplate clearingCrm() {
        return new JdbcTemplate(new DriverManagerDataSource(clearingCrmUrl(), "sa", ""));
    }

    ApiClient api() {
        return new ApiClient(port);
    }

    @BeforeEach
    void crmsAreReady() {
        await().atMost(Duration.ofSeconds(30)).until(() -> syncLog.status("demo-crm").isPresent());
        demoCrm().execute("create table if not exists consent_cf (contactid int primary key, opt_in_status varchar(40))");
        demoCrm().execute("alter table vtiger_contactdetails alter column firstname varchar(5000)");
        var clearing = clearingCrm();
        clearing.execute("create table if not exists people (id int primary key, modified timestamp not null,"
                + " email varchar(200), optout varchar(1) not null, firstname varchar(100))");
        clearing.execute("create table if not exists consent_cf (contactid int primary key, opt_in_status varchar(40))");
    }

    // --- helpers -----------------------------------------------------------------------------

    private LocalDateTime watermark(String connectorId) {
        return syncLog.status(connectorId).map(CrmStatus::watermark).orElse(LocalDateTime.of(2026, 1, 1, 0, 0));
    }

    int demoRecord(String email, boolean optedOut, String firstName) {
        int id = NEXT_ID.incrementAndGet();
        var crm = demoCrm();
        crm.update("insert into vtiger_crmentity (crmid, setype, createdtime, modifiedtime, deleted, label) values (?, 'Contacts', ?, ?, 0, 'x')",
                id, Timestamp.valueOf(watermark("demo-crm")), Timestamp.valueOf(watermark("demo-crm").plusSeconds(5)));
        crm.update("insert into vtiger_contactdetails (contactid, contact_no, firstname, lastname, email, emailoptout) values (?, ?, ?, 'Test', ?, ?)",
                id, "CON" + id, firstName, email, optedOut ? "1" : "0");
        return id;
    }

    void demoEdit(int id, String assignments, Object... values) {
        var args = new ArrayList<>(List.of(values));
        args.add(id);
        demoCrm().update("update vtiger_contactdetails set " + assignments + " where contactid = ?", args.toArray());
        demoCrm().update("update vtiger_crmentity set modifiedtime = ? where crmid = ?",
                Timestamp.valueOf(watermark("demo-crm").plusSeconds(5)), id);
    }

    int person(String email) {
        int id = NEXT_ID.incrementAndGet();
        clearingCrm().update("insert into people (id, modified, email, optout, firstname) values (?, ?, ?, '0', 'Pia')",
                id, Timestamp.valueOf(watermark("clearing-crm").plusSeconds(5)), email);
        return id;
    }

    void personEdit(int id, String assignments, Object... values) {
        var args = new ArrayList<>(List.of(values));
        args.add(Timestamp.valueOf(watermark("clearing-crm").plusSeconds(5)));
        args.add(id);
        clearingCrm().update("update people set " + assignments + ", modified = ? where id = ?", args.toArray());
    }

    ContactId linked(String connectorId, int id) {
        return contacts.findByLink(new CrmLink(connectorId, String.valueOf(id))).orElseThrow();
    }

    void userDoes(ContactId contact, OptInAction action) {
        tx.executeWithoutResult(t -> optIn.apply(contact, action,
                new Evidence(ActorKind.USER, "test-user", "api", Instant.now(), null, null, null, null)));
    }

    void writeBacksSettle(ContactId contact) {
        await().atMost(Duration.ofSeconds(30)).until(() -> hub.queryForObject(
                "select count(*) from outbox where kind = 'CRM_WRITE_BACK' and contact_id = ? and status in ('PENDING', 'IN_FLIGHT')",
                Long.class, contact.value()) == 0);
    }

    List<JsonNode> writeBacks(String connectorId, String status, ContactId contact) {
        var answer = api().get("/api/crm/" + connectorId + "/write-backs?status=" + status, TestKeys.ADMIN);
        assertThat(answer.status()).isEqualTo(200);
        var found = new ArrayList<JsonNode>();
        answer.json().forEach(w -> {
            if (w.path("contactId").asText().equals(contact.value().toString())) {
                found.add(w);
            }
        });
        return found;
    }

    List<JsonNode> rejectsOf(int id, String status) {
        var answer = api().get("/api/crm/demo-crm/rejects?status=" + status + "&limit=1000", TestKeys.ADMIN);
        assertThat(answer.status()).isEqualTo(200);
        var found = new ArrayList<JsonNode>();
        answer.json().forEach(r -> {
            if (r.path("externalId").asText().equals(String.valueOf(id))) {
                found.add(r);
            }
        });
        return found;
    }

    // --- 6. failures visible ------------------------------------------------------------------

    @Test
    void aFailingPollShowsInStatusMetricsAndHealthUntilItSucceedsAgain() throws Exception {
        TemplatedRouteBuilder.builder(camel, "jdbc-crm-sync").routeId("broken-crm-sync")
                .parameter("connectorId", "broken-crm").parameter("period", "300").add();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> syncLog.pollHealth("broken-crm")
                    .map(h -> h.consecutiveFailures() >= 2).orElse(false));

            JsonNode poll = api().get("/api/crm/broken-crm/status", TestKeys.ADMIN).json().path("poll");
            assertThat(poll.path("lastOutcome").asText()).isEqualTo("FAILED");
            assertThat(poll.path("consecutiveFailures").asInt()).isGreaterThanOrEqualTo(2);
            // The driver's exception class and SQLState, never its message (which names the table and may quote values).
            assertThat(poll.path("lastError").asText()).containsPattern("^\\w+Exception").contains("SQLState")
                    .doesNotContainIgnoringCase("people_missing");
            assertThat(poll.path("lastSuccessAt").asText(null)).isNull();
            assertThat(poll.path("failingSince").asText()).isNotEmpty();
            assertThat(meters.get("consent_hub.crm.poll.consecutive.failures").tag("connector", "broken-crm").gauge().value())
                    .isGreaterThanOrEqualTo(2);
            assertThat(meters.get("consent_hub.crm.poll.up").tag("connector", "broken-crm").gauge().value()).isZero();
            assertThat(meters.get("consent_hub.crm.polls").tags("connector", "broken-crm", "outcome", "failed").counters()
                    .stream().mapToDouble(io.micrometer.core.instrument.Counter::count).sum()).isGreaterThanOrEqualTo(2);
            var health = api().get("/actuator/health", null);
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.json().path("status").asText()).isEqualTo("DOWN");

            var broken = brokenCrm();
            broken.execute("create table people_missing (id int primary key, modified timestamp not null, email varchar(200))");
            broken.update("insert into people_missing (id, modified, email) values (1, ?, 'broken.fixed@example.com')",
                    Timestamp.valueOf(LocalDateTime.of(2026, 11, 1, 9, 0)));

            await().atMost(Duration.ofSeconds(30)).until(() -> syncLog.pollHealth("broken-crm")
                    .map(h -> h.lastOutcome() == PollHealth.Outcome.SUCCESS).orElse(false));
            JsonNode recovered = api().get("/api/crm/broken-crm/status", TestKeys.ADMIN).json().path("poll");
            assertThat(recovered.path("consecutiveFailures").asInt()).isZero();
            assertThat(recovered.path("lastError").asText(null)).isNull();
            assertThat(recovered.path("lastSuccessAt").asText()).isNotEmpty();
            assertThat(meters.get("consent_hub.crm.poll.up").tag("connector", "broken-crm").gauge().value()).isEqualTo(1);
            assertThat(api().get("/actuator/health", null).status()).isEqualTo(200);
        } finally {
            camel.getRouteController().stopRoute("broken-crm-sync");
            camel.removeRoute("broken-crm-sync");
        }
    }

    // --- 7. reject list noise -----------------------------------------------------------------

    @Test
    void aRejectedRowReReadIsListedOnceAndClosedOnceTheCrmFixesIt() {
        int id = demoRecord("not-an-email", false, "Bad");

        for (int poll = 0; poll < 3; poll++) {
            crmSync.poll("demo-crm");
        }

        assertThat(rejectsOf(id, "open")).singleElement().satisfies(reject -> {
            assertThat(reject.path("status").asText()).isEqualTo("OPEN");
            assertThat(reject.path("reason").asText()).contains("email");
        });
        demoEdit(id, "email = ?", "fixed.row@example.com");

        crmSync.poll("demo-crm");

        assertThat(rejectsOf(id, "open")).isEmpty();
        assertThat(rejectsOf(id, "closed")).singleElement().satisfies(reject -> {
            assertThat(reject.path("status").asText()).isEqualTo("CLOSED");
            assertThat(reject.path("closedAt").asText()).isNotEmpty();
        });
        assertThat(rejectsOf(id, "all")).hasSize(1);
    }

    @Test
    void aFieldRefusedFromAnAppliedRowStaysOpenOnceUntilTheCrmShortensIt() {
        int id = demoRecord("field.refused@example.com", false, "F".repeat(4001));
        crmSync.poll("demo-crm");
        crmSync.poll("demo-crm");
        demoEdit(id, "lastname = ?", "Otherwise-Edited");
        crmSync.poll("demo-crm");

        assertThat(rejectsOf(id, "open")).singleElement()
                .satisfies(reject -> assertThat(reject.path("reason").asText()).contains("firstName"));

        demoEdit(id, "firstname = ?", "Fia");
        crmSync.poll("demo-crm");

        assertThat(rejectsOf(id, "open")).isEmpty();
        assertThat(rejectsOf(id, "closed")).hasSize(1);
        assertThat(contacts.get(linked("demo-crm", id)).attributes().values()).containsEntry("firstName", "Fia");
    }

    @Test
    void theRejectListPagesWithLimitAndBefore() {
        demoRecord("paging-one", false, "P");
        demoRecord("paging-two", false, "P");
        crmSync.poll("demo-crm");

        JsonNode first = api().get("/api/crm/demo-crm/rejects?limit=1", TestKeys.ADMIN).json();
        assertThat(first).hasSize(1);
        long id = first.get(0).path("id").asLong();
        JsonNode next = api().get("/api/crm/demo-crm/rejects?limit=1&before=" + id, TestKeys.ADMIN).json();
        assertThat(next).hasSize(1);
        assertThat(next.get(0).path("id").asLong()).isLessThan(id);
        assertThat(api().get("/api/crm/demo-crm/rejects?status=shut", TestKeys.ADMIN).status()).isEqualTo(400);
    }

    // --- 10. write-back "not found" -----------------------------------------------------------

    @Test
    void aWriteBackThatUpdatesNoRowIsDeliveredWhenNoExistsQueryIsConfigured() {
        int id = demoRecord("lazy.fields@example.com", false, "Lou");
        crmSync.poll("demo-crm");
        ContactId contact = linked("demo-crm", id);

        userDoes(contact, OptInAction.SET_SINGLE_OPT_IN_USER);
        writeBacksSettle(contact);

        assertThat(writeBacks("demo-crm", "delivered", contact)).isNotEmpty();
        assertThat(writeBacks("demo-crm", "refused", contact)).isEmpty();
    }

    @Test
    void aWriteBackIsRefusedAsNotFoundOnlyWhenTheExistsQueryFindsNoRecord() {
        int kept = person("exists.kept@example.com");
        int gone = person("exists.gone@example.com");
        crmSync.poll("clearing-crm");
        ContactId keptContact = linked("clearing-crm", kept);
        ContactId goneContact = linked("clearing-crm", gone);
        writeBacksSettle(keptContact);
        writeBacksSettle(goneContact);
        clearingCrm().update("delete from people where id = ?", gone);

        userDoes(keptContact, OptInAction.SET_SINGLE_OPT_IN_USER);
        userDoes(goneContact, OptInAction.SET_SINGLE_OPT_IN_USER);
        writeBacksSettle(keptContact);
        writeBacksSettle(goneContact);

        assertThat(writeBacks("clearing-crm", "delivered", keptContact)).isNotEmpty();
        assertThat(writeBacks("clearing-crm", "refused", keptContact)).isEmpty();
        assertThat(writeBacks("clearing-crm", "refused", goneContact)).singleElement().satisfies(refused -> {
            assertThat(refused.path("reason").asText()).contains(gone + " was not found in the CRM").doesNotContain("@");
            assertThat(refused.path("status").asText()).isEqualTo("REFUSED");
        });
        assertThat(api().get("/api/crm/clearing-crm/write-backs?status=lost", TestKeys.ADMIN).status()).isEqualTo(400);
        assertThat(api().get("/api/crm/clearing-crm/write-backs", TestKeys.USER).status()).isEqualTo(403);
        assertThat(api().get("/api/crm/no-such-crm/write-backs", TestKeys.ADMIN).status()).isEqualTo(404);
    }

    // --- 11. a re-opt-in undone by the CRM ----------------------------------------------------

    @Test
    void aReOptInIsNotUndoneByTheFlagTheHubRaisedButALaterCrmOptOutApplies() {
        int id = demoRecord("reoptin.person@example.com", false, "Rea");
        crmSync.poll("demo-crm");
        ContactId contact = linked("demo-crm", id);
        userDoes(contact, OptInAction.SET_SINGLE_OPT_IN_USER);
        userDoes(contact, OptInAction.SET_OPT_OUT_USER);
        writeBacksSettle(contact);
        assertThat(demoCrm().queryForObject("select emailoptout from vtiger_contactdetails where contactid = ?", String.class, id))
                .isEqualTo("1");
        crmSync.poll("demo-crm");
        userDoes(contact, OptInAction.REVERT_OPT_OUT_USER);
        writeBacksSettle(contact);

        demoEdit(id, "firstname = ?", "Rebecca");
        crmSync.poll("demo-crm");

        assertThat(optIn.status(contact)).isEqualTo(EmailOptInStatus.SINGLE_OPT_IN_USER);
        assertThat(contacts.get(contact).attributes().values()).containsEntry("firstName", "Rebecca");

        demoEdit(id, "emailoptout = '0'");
        crmSync.poll("demo-crm");
        assertThat(optIn.status(contact)).isEqualTo(EmailOptInStatus.SINGLE_OPT_IN_USER);
        demoEdit(id, "emailoptout = '1'");
        crmSync.poll("demo-crm");

        assertThat(optIn.status(contact)).isEqualTo(EmailOptInStatus.OPT_OUT_USER);
    }

    @Test
    void theWriteBackClearsTheFlagTheHubRaisedWhenConfiguredAndAGenuineCrmOptOutStillApplies() {
        int id = person("clear.flag@example.com");
        crmSync.poll("clearing-crm");
        ContactId contact = linked("clearing-crm", id);
        userDoes(contact, OptInAction.SET_SINGLE_OPT_IN_USER);
        userDoes(contact, OptInAction.SET_OPT_OUT_USER);
        writeBacksSettle(contact);
        assertThat(optOutInClearingCrm(id)).isEqualTo("1");
        crmSync.poll("clearing-crm");

        userDoes(contact, OptInAction.REVERT_OPT_OUT_USER);
        writeBacksSettle(contact);

        assertThat(optOutInClearingCrm(id)).isEqualTo("0");
        personEdit(id, "firstname = ?", "Pamela");
        crmSync.poll("clearing-crm");
        assertThat(optIn.status(contact)).isEqualTo(EmailOptInStatus.SINGLE_OPT_IN_USER);

        personEdit(id, "optout = ?", "1");
        crmSync.poll("clearing-crm");

        assertThat(optIn.status(contact)).isEqualTo(EmailOptInStatus.OPT_OUT_USER);
    }

    private String optOutInClearingCrm(int id) {
        return clearingCrm().queryForObject("select optout from people where id = ?", String.class, id);
    }
}
