package io.consenthub.crm.salesforce;

import io.consenthub.consent.ActorKind;
import io.consenthub.consent.ConsentRecords;
import io.consenthub.consent.Evidence;
import io.consenthub.contact.ContactDirectory;
import io.consenthub.contact.ContactId;
import io.consenthub.contact.CrmLink;
import io.consenthub.crm.CrmSyncLog;
import io.consenthub.support.ConnectorConfig;
import io.consenthub.support.HubTest;
import io.consenthub.support.PostgresTestDatabase;
import io.consenthub.support.RequiresPostgres;
import io.consenthub.support.SalesforceStandIn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.consenthub.support.SalesforceStandIn.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the shipped Salesforce configuration costs in API calls, against the stand-in with
 * Salesforce's default query page of 2,000 records and the default look-back window: an idle poll,
 * a poll after 1,000 records changed, and 500 write-backs. These are the numbers the README gives
 * for an org's daily allowance.
 */
@ExtendWith(RequiresPostgres.class)
@HubTest
class SalesforceCallBudgetTest {

    private static final int CONTACTS = 1_000;
    private static SalesforceStandIn salesforce;

    @DynamicPropertySource
    static void stores(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.register(registry, "consent_hub_salesforce_budget_test");
        ConnectorConfig.load(registry, "config/crm/salesforce.yaml.example");
        registry.add("SF_LOGIN_URL", () -> salesforce().url());
        registry.add("SF_CLIENT_ID", () -> "test-client");
        registry.add("SF_CLIENT_SECRET", () -> "test-secret");
        registry.add("SF_POLL_PERIOD", () -> "1h");
        registry.add("consent-hub.outbox.initial-backoff", () -> "200ms");
    }

    private static synchronized SalesforceStandIn salesforce() {
        if (salesforce == null) {
            salesforce = new SalesforceStandIn(2_000);
            for (int i = 0; i < CONTACTS; i++) {
                salesforce.add("Contact", id("003", i), fields("Email", "person" + i + "@budget.example", "LastName", "P" + i));
            }
            for (int i = 0; i < 10; i++) {
                salesforce.add("Lead", id("00Q", i), fields("Email", "lead" + i + "@budget.example", "LastName", "L" + i, "Company", "C"));
            }
        }
        return salesforce;
    }

    private static String id(String prefix, int i) {
        return prefix + String.format("%012d", i) + "AAA";
    }

    @AfterAll
    static void stop() {
        salesforce.close();
    }

    @Autowired
    SalesforceCrmSync sync;
    @Autowired
    CrmSyncLog syncLog;
    @Autowired
    ContactDirectory contacts;
    @Autowired
    ConsentRecords consents;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    JdbcTemplate hub;
    @Autowired
    SalesforceStatus status;

    @BeforeEach
    void firstPollByTheRouteIsDoneAndItsWriteBacksAreOut() {
        await().atMost(Duration.ofSeconds(60)).until(() -> syncLog.status("salesforce").isPresent());
        await().atMost(Duration.ofSeconds(60)).until(() -> hub.queryForObject(
                "select count(*) from outbox where kind = 'CRM_WRITE_BACK' and status in ('PENDING', 'IN_FLIGHT')", Long.class) == 0);
    }

    @Test
    void anIdlePollCostsOneCallPerObject() {
        sync.poll("salesforce");
        int before = salesforce.apiCalls();

        var result = sync.poll("salesforce");

        assertThat(result.applied()).isZero();
        assertThat(salesforce.apiCalls() - before).isEqualTo(2);
        assertThat(status.of("salesforce").get("apiCallsPerDay").toString()).contains("calls=");
    }

    @Test
    void aThousandChangedRecordsCostOneQueryCall() {
        sync.poll("salesforce");
        for (int i = 0; i < CONTACTS; i++) {
            salesforce.change(id("003", i), fields("Phone", "+1 555 " + i));
        }
        int before = salesforce.apiCalls();

        var result = sync.poll("salesforce");

        assertThat(result.applied()).isGreaterThanOrEqualTo(CONTACTS);
        assertThat(salesforce.apiCalls() - before).isEqualTo(2);
    }

    @Test
    void aRecordCommittedLateWithinTheLookBackWindowIsRead() {
        sync.poll("salesforce");
        salesforce.addCommittedLate("Contact", "0039999999999LATE", fields("Email", "late@budget.example", "LastName", "Late"),
                Duration.ofMinutes(2));

        sync.poll("salesforce");

        assertThat(contacts.findByLink(new CrmLink("salesforce", "0039999999999LATE"))).isPresent();
    }

    @Test
    void fiveHundredWriteBacksGoOutInAtMostThreeCalls() {
        sync.poll("salesforce");
        List<ContactId> linked = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            linked.add(contacts.findByLink(new CrmLink("salesforce", id("003", i))).orElseThrow());
        }
        long callsBefore = collectionCalls();

        tx.executeWithoutResult(s -> linked.forEach(contact -> consents.record(contact, "newsletter", true,
                new Evidence(ActorKind.USER, "test-user", "api", Instant.now(), null, null, null, "campaign"))));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (int i = 0; i < 500; i++) {
                assertThat(salesforce.record(id("003", i)).path("Newsletter_Consent__c").asBoolean()).isTrue();
            }
        });
        assertThat(collectionCalls() - callsBefore).isLessThanOrEqualTo(3);
    }

    private long collectionCalls() {
        return salesforce.requests().stream().filter(r -> r.equals("PATCH /services/data/v65.0/composite/sobjects")).count();
    }
}
