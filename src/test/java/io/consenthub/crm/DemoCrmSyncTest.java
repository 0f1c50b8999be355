package io.consenthub.crm;

import io.consenthub.contact.ContactDirectory;
import io.consenthub.contact.CrmLink;
import io.consenthub.contact.EmailAddress;
import io.consenthub.crm.jdbc.JdbcCrmSync;
import io.consenthub.consent.optin.EmailOptIn;
import io.consenthub.consent.optin.EmailOptInStatus;
import io.consenthub.support.HubTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.context.TestPropertySource;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDateTime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demo CRM synced by the generic JDBC connector and its route, against the hub on H2: the
 * timer route does the first poll by itself; later polls are triggered by calling the same bean.
 */
@HubTest
@TestPropertySource(properties = {
        "spring.datasource.url=jdbc:h2:mem:demo-crm-sync-hub;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
        "consent-hub.crm.connectors.demo-crm.enabled=true",
        "consent-hub.crm.connectors.demo-crm.poll-period=1h",
        "consent-hub.crm.connectors.demo-crm.jdbc.url=" + DemoCrmSyncTest.CRM_URL
})
class DemoCrmSyncTest {

    static final String CRM_URL = "jdbc:h2:mem:demo-crm-sync-test;DB_CLOSE_DELAY=-1;MODE=MySQL;DATABASE_TO_LOWER=TRUE";

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

    JdbcTemplate crm = new JdbcTemplate(new DriverManagerDataSource(CRM_URL, "sa", ""));

    @BeforeEach
    void firstPollByTheRouteIsDone() {
        await().atMost(Duration.ofSeconds(30)).until(() -> syncLog.status("demo-crm").isPresent());
    }

    private long events() {
        return hub.queryForObject("select count(*) from consent_event", Long.class);
    }

    private EmailOptInStatus statusOf(String email) {
        return optIn.status(contacts.findByEmail(new EmailAddress(email)).orElseThrow());
    }

    private LocalDateTime watermark() {
        return syncLog.status("demo-crm").orElseThrow().watermark();
    }

    @Test
    void demoContactsArriveLinkedAndTheBadRowIsRejectedWithItsReason() {
        var link = contacts.findByLink(new CrmLink("demo-crm", "101"));
        assertThat(link).isPresent();
        assertThat(contacts.get(link.get()).attributes().values()).containsEntry("firstName", "Anna").containsEntry("country", "Sweden");
        assertThat(syncLog.rejects("demo-crm", 10)).anySatisfy(reject -> {
            assertThat(reject.get("externalId")).isEqualTo("124");
            assertThat(reject.get("reason").toString()).contains("not a valid email address");
        });
        assertThat(statusOf("erik.ek@example.com")).isEqualTo(EmailOptInStatus.OPT_OUT_USER);
        assertThat(statusOf("anna.andersson@example.com")).isEqualTo(EmailOptInStatus.NONE);
    }

    @Test
    void pollingAgainWithoutCrmChangesWritesNothing() {
        long before = events();
        long rejectsBefore = syncLog.rejects("demo-crm", 1000).size();

        var result = crmSync.poll("demo-crm");

        assertThat(result.applied()).isZero();
        assertThat(result.rejected()).isZero();
        assertThat(events()).isEqualTo(before);
        assertThat(syncLog.rejects("demo-crm", 1000)).hasSize((int) rejectsBefore);
    }

    @Test
    void aRecordEditedTwiceWithinTheWatermarksSecondIsAppliedBothTimes() {
        Timestamp sameSecond = Timestamp.valueOf(watermark());
        crm.update("update vtiger_contactdetails set firstname = ? where contactid = ?", "Bob", 102);
        crm.update("update vtiger_crmentity set modifiedtime = ? where crmid = ?", sameSecond, 102);
        crmSync.poll("demo-crm");
        crm.update("update vtiger_contactdetails set firstname = ? where contactid = ?", "Bobby", 102);
        var second = crmSync.poll("demo-crm");

        var id = contacts.findByLink(new CrmLink("demo-crm", "102")).orElseThrow();
        assertThat(second.applied()).isEqualTo(1);
        assertThat(contacts.get(id).attributes().values()).containsEntry("firstName", "Bobby");
    }

    @Test
    void theCrmsOptOutFlagNeverUpgradesAndItsAbsenceNeverOptsIn() {
        crm.update("update vtiger_contactdetails set emailoptout = '0' where contactid = ?", 105);
        crm.update("update vtiger_crmentity set modifiedtime = ? where crmid = ?", Timestamp.valueOf(watermark().plusSeconds(1)), 105);
        crmSync.poll("demo-crm");

        assertThat(statusOf("erik.ek@example.com")).isEqualTo(EmailOptInStatus.OPT_OUT_USER);
    }

    @Test
    void aRecordDeletedInTheCrmIsMarkedAndTheContactIsKept() {
        crm.update("update vtiger_crmentity set deleted = 1, modifiedtime = ? where crmid = ?",
                Timestamp.valueOf(watermark().plusSeconds(2)), 110);
        crmSync.poll("demo-crm");

        assertThat(hub.queryForObject("select deleted_in_crm from crm_record where connector_id = 'demo-crm' and external_id = '110'",
                Boolean.class)).isTrue();
        assertThat(contacts.findByLink(new CrmLink("demo-crm", "110"))).isPresent();
    }

    @Test
    void aFixedBadRowIsAppliedOnTheNextPoll() {
        crm.update("update vtiger_contactdetails set email = ? where contactid = ?", "yusuf.xu@example.com", 124);
        crm.update("update vtiger_crmentity set modifiedtime = ? where crmid = ?", Timestamp.valueOf(watermark().plusSeconds(3)), 124);

        var result = crmSync.poll("demo-crm");

        assertThat(result.rejected()).isZero();
        assertThat(contacts.findByEmail(new EmailAddress("yusuf.xu@example.com"))).isPresent();
    }
}
