package io.consenthub.crm;

import io.consenthub.contact.ContactDirectory;
import io.consenthub.contact.CrmLink;
import io.consenthub.crm.jdbc.JdbcCrmSync;
import io.consenthub.support.HubTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.context.TestPropertySource;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the hub writes back to a CRM and what it reads from it next must converge: two records of
 * one person in one CRM whose emails differ only in case, one opted out, against a write-back that
 * (like a CRM's own triggers) moves the record's modification time each time it writes.
 */
@HubTest
@TestPropertySource(properties = {
        "spring.datasource.url=jdbc:h2:mem:crm-converge-hub;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
        "consent-hub.crm.connectors.demo-crm.enabled=true",
        "consent-hub.crm.connectors.demo-crm.poll-period=1h",
        "consent-hub.crm.write-back-period=100",
        "consent-hub.crm.connectors.demo-crm.jdbc.url=" + CrmSyncAndWriteBackConvergeTest.CRM_URL,
        "consent-hub.crm.connectors.demo-crm.write-back.true-value=1",
        "consent-hub.crm.connectors.demo-crm.write-back.false-value=0",
        "consent-hub.crm.connectors.demo-crm.write-back.statements[0]=update vtiger_contactdetails set emailoptout = '1'"
                + " where contactid = :externalId and :emailOptOut = '1' and emailoptout <> '1'",
        "consent-hub.crm.connectors.demo-crm.write-back.statements[1]=update vtiger_crmentity"
                + " set modifiedtime = dateadd('SECOND', 1, modifiedtime) where crmid = :externalId"
})
class CrmSyncAndWriteBackConvergeTest {

    static final String CRM_URL = "jdbc:h2:mem:crm-converge-crm;DB_CLOSE_DELAY=-1;MODE=MySQL;DATABASE_TO_LOWER=TRUE";

    @Autowired
    JdbcCrmSync crmSync;
    @Autowired
    CrmSyncLog syncLog;
    @Autowired
    ContactDirectory contacts;
    @Autowired
    JdbcTemplate hub;

    JdbcTemplate crm = new JdbcTemplate(new DriverManagerDataSource(CRM_URL, "sa", ""));

    private void record(int id, String email, String optOut) {
        Timestamp modified = Timestamp.valueOf(syncLog.status("demo-crm").orElseThrow().watermark().plusSeconds(5));
        crm.update("insert into vtiger_crmentity (crmid, setype, createdtime, modifiedtime, deleted, label) values (?, 'Contacts', ?, ?, 0, 'x')",
                id, modified, modified);
        crm.update("insert into vtiger_contactdetails (contactid, contact_no, firstname, lastname, email, emailoptout) values (?, ?, 'Pat', 'Pong', ?, ?)",
                id, "CON" + id, email, optOut);
    }

    private void pollAndDeliver() {
        crmSync.poll("demo-crm");
        await().atMost(Duration.ofSeconds(30)).until(() -> hub.queryForObject(
                "select count(*) from outbox where kind = 'CRM_WRITE_BACK' and finished_at is null", Long.class) == 0);
    }

    @Test
    void caseOnlyDuplicatesWithOneOptOutStopAddingEventsAndWriteBacks() {
        await().atMost(Duration.ofSeconds(30)).until(() -> syncLog.status("demo-crm").isPresent());
        record(7001, "Pong.Person@example.com", "1");
        record(7002, "pong.person@example.com", "0");
        var events = new ArrayList<Long>();
        var outbox = new ArrayList<Long>();

        for (int poll = 0; poll < 20; poll++) {
            pollAndDeliver();
            events.add(hub.queryForObject("select count(*) from consent_event", Long.class));
            outbox.add(hub.queryForObject("select count(*) from outbox where kind = 'CRM_WRITE_BACK'", Long.class));
        }

        assertThat(contacts.findByLink(new CrmLink("demo-crm", "7001"))).isEqualTo(contacts.findByLink(new CrmLink("demo-crm", "7002")));
        assertThat(events.subList(10, 20)).containsOnly(events.get(10));
        assertThat(outbox.subList(10, 20)).containsOnly(outbox.get(10));
        assertThat(crm.queryForObject("select emailoptout from vtiger_contactdetails where contactid = 7002", String.class)).isEqualTo("1");
    }
}
