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
abstract class JdbcCrmSyncRowsTest {

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
        int id = NEXT_ID.incrementAndGet();
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
}
