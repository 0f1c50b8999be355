package io.consenthub.crm.salesforce;

import io.consenthub.consent.ActorKind;
import io.consenthub.consent.ConsentRecords;
import io.consenthub.consent.Evidence;
import io.consenthub.contact.ContactDirectory;
import io.consenthub.contact.ContactId;
import io.consenthub.contact.CrmLink;
import io.consenthub.crm.CrmSyncLog;
import io.consenthub.consent.optin.EmailOptIn;
import io.consenthub.consent.optin.EmailOptInStatus;
import io.consenthub.support.ConnectorConfig;
import io.consenthub.support.HubTest;
import io.consenthub.support.PostgresTestDatabase;
import io.consenthub.support.RequiresPostgres;
import io.consenthub.support.SalesforceStandIn;
import org.apache.camel.CamelContext;
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

import static io.consenthub.support.SalesforceStandIn.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The shipped Salesforce mapping ({@code config/crm/salesforce.yaml.example}) through real
 * camel-salesforce against a local stand-in of the Salesforce REST API, the hub on PostgreSQL:
 * client-credentials and username/password logins, Contacts and Leads over several pages, a
 * deleted record, an expired session, and write-back with one record's field error.
 */
@ExtendWith(RequiresPostgres.class)
@HubTest
class SalesforceSyncTest {

    private static SalesforceStandIn salesforce;

    @DynamicPropertySource
    static void stores(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.register(registry, "consent_hub_salesforce_test");
        ConnectorConfig.load(registry, "config/crm/salesforce.yaml.example");
        registry.add("SF_LOGIN_URL", () -> salesforce().url());
        registry.add("SF_CLIENT_ID", () -> "test-client");
        registry.add("SF_CLIENT_SECRET", () -> "test-secret");
        registry.add("SF_POLL_PERIOD", () -> "1h");
        registry.add("SF_LOOK_BACK", () -> "1s");
        registry.add("SF_LIMIT_BACKOFF", () -> "2s");
        registry.add("consent-hub.outbox.initial-backoff", () -> "200ms");
        registry.add("consent-hub.outbox.max-backoff", () -> "1s");
        String password = "consent-hub.crm.connectors.sf-password.";
        registry.add(password + "kind", () -> "salesforce");
        registry.add(password + "enabled", () -> "true");
        registry.add(password + "salesforce.login-url", () -> salesforce().url());
        registry.add(password + "salesforce.authentication-type", () -> "USERNAME_PASSWORD");
        registry.add(password + "salesforce.client-id", () -> "test-client");
        registry.add(password + "salesforce.client-secret", () -> "test-secret");
        registry.add(password + "salesforce.username", () -> "integration@example.com");
        registry.add(password + "salesforce.password", () -> "s3cret-and-token");
        registry.add(password + "salesforce.objects.Contact.email", () -> "Email");
        registry.add(password + "salesforce.objects.Lead.attributes.company", () -> "Company");
        // Rating is hidden from the integration user by field-level security: its Leads cannot be queried.
        registry.add(password + "salesforce.objects.Lead.attributes.rating", () -> "Rating");
        String wrong = "consent-hub.crm.connectors.sf-wrong-secret.";
        registry.add(wrong + "kind", () -> "salesforce");
        registry.add(wrong + "enabled", () -> "true");
        registry.add(wrong + "salesforce.login-url", () -> salesforce().url());
        registry.add(wrong + "salesforce.client-id", () -> "test-client");
        registry.add(wrong + "salesforce.client-secret", () -> "not-the-secret");
        registry.add(wrong + "salesforce.objects.Contact.email", () -> "Email");
    }

    /** Started once per JVM and seeded before the hub's first poll: 5 Contacts (3 pages of 2) and 2 Leads. */
    private static synchronized SalesforceStandIn salesforce() {
        if (salesforce == null) {
            salesforce = new SalesforceStandIn(2);
            salesforce.add("Contact", "0030000000000A1AAA", fields("Email", "ada@sf.example", "FirstName", "Ada", "LastName", "Lovelace", "MailingCountry", "UK"));
            salesforce.add("Contact", "0030000000000A2AAA", fields("Email", "blaise@sf.example", "FirstName", "Blaise", "LastName", "Pascal"));
            salesforce.add("Contact", "0030000000000A3AAA", fields("Email", "carl@sf.example", "FirstName", "Carl", "LastName", "Gauss", "HasOptedOutOfEmail", true));
            salesforce.add("Contact", "0030000000000A4AAA", fields("Email", "not an email", "FirstName", "Dora", "LastName", "Bad"));
            salesforce.add("Contact", "0030000000000A5AAA", fields("Email", "emmy@sf.example", "FirstName", "Emmy", "LastName", "Noether", "IsDeleted", true));
            salesforce.add("Lead", "00Q0000000000L1AAA", fields("Email", "grace@sf.example", "FirstName", "Grace", "LastName", "Hopper", "Company", "Navy"));
            salesforce.add("Lead", "00Q0000000000L2AAA", fields("Email", "ada@sf.example", "FirstName", "Ada", "LastName", "Lovelace", "Company", "Analytical Engines"));
            salesforce.add("Lead", "00Q0000000000L3AAA", fields("Email", "hedy@sf.example", "FirstName", "Hedy", "LastName", "Lamarr", "Company", "MGM"));
            salesforce.add("Contact", "0030000000000M1AAA", fields("Email", "kurt@sf.example", "FirstName", "Kurt", "LastName", "Goedel"));
            salesforce.add("Contact", "0030000000000M2AAA", fields("Email", "kurt.g@sf.example", "FirstName", "Kurt", "LastName", "G."));
            salesforce.add("Contact", "0030000000000P1AAA", fields("Email", "purged@sf.example", "LastName", "Purged"));
            salesforce.add("Contact", "0030000000000W1AAA", fields("Email", "wanda@sf.example", "LastName", "Limit"));
            salesforce.add("Contact", "0030000000000W2AAA", fields("Email", "walter@sf.example", "LastName", "Maintenance"));
            salesforce.add("Contact", "0030000000000W3AAA", fields("Email", "wilma@sf.example", "LastName", "Locked"));
            salesforce.add("Contact", "0030000000000D1AAA", fields("Email", "dora.gone@sf.example", "LastName", "Gone"));
            salesforce.add("Contact", "0030000000000D2AAA", fields("Email", "dan.after@sf.example", "LastName", "After"));
            salesforce.hideField("Lead", "Rating");
        }
        return salesforce;
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
    EmailOptIn optIn;
    @Autowired
    ConsentRecords consents;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    JdbcTemplate hub;
    @Autowired
    io.consenthub.crm.CrmWriteBack writeBack;
    @Autowired
    SalesforceStatus status;
    @Autowired
    CamelContext camel;

    @BeforeEach
    void firstPollByTheRouteIsDone() {
        await().atMost(Duration.ofSeconds(30)).until(() -> syncLog.status("salesforce").isPresent());
    }

    /** A hold-off another test provoked (a limit, a maintenance window) has lapsed before this one starts. */
    @BeforeEach
    void noHoldOffLeftByAnotherTest() {
        await().atMost(Duration.ofSeconds(90)).until(() -> {
            Object until = status.of("salesforce").get("heldOffUntil");
            return until == null || Instant.parse(until.toString()).isBefore(Instant.now());
        });
    }

    private ContactId linked(String id) {
        return contacts.findByLink(new CrmLink("salesforce", id)).orElseThrow();
    }

    private Evidence user(String note) {
        return new Evidence(ActorKind.USER, "test-user", "api", Instant.now(), null, null, null, note);
    }

    @Test
    void contactsAndLeadsArriveFromEveryPageWithOnePersonAsOneContact() {
        assertThat(contacts.get(linked("0030000000000A1AAA")).attributes().values())
                .containsEntry("firstName", "Ada").containsEntry("country", "UK");
        assertThat(linked("00Q0000000000L2AAA")).isEqualTo(linked("0030000000000A1AAA"));
        assertThat(contacts.get(linked("00Q0000000000L1AAA")).attributes().values()).containsEntry("company", "Navy");
        assertThat(optIn.status(linked("0030000000000A3AAA"))).isEqualTo(EmailOptInStatus.OPT_OUT_USER);
        assertThat(salesforce.requests()).anyMatch(r -> r.startsWith("GET /services/data/v65.0/queryAll/?q=SELECT"))
                .anyMatch(r -> r.startsWith("GET /services/data/v65.0/query/01gSTANDIN"));
        assertThat(salesforce.logins()).anySatisfy(login -> assertThat(login).containsEntry("grant_type", "client_credentials"));
        assertThat(syncLog.rejects("salesforce", 10)).anySatisfy(reject -> {
            assertThat(reject.get("externalId")).isEqualTo("0030000000000A4AAA");
            assertThat(reject.get("reason").toString()).contains("not a valid email address");
        });
        assertThat(hub.queryForObject("select deleted_in_crm from crm_record where connector_id = 'salesforce' and external_id = ?",
                Boolean.class, "0030000000000A5AAA")).isTrue();
        assertThat(contacts.findByLink(new CrmLink("salesforce", "0030000000000A5AAA"))).isEmpty();
    }

    @Test
    void aFieldTooLongForTheHubIsRefusedAloneAndTheRecordsOptOutStillApplies() {
        sync.poll("salesforce");
        salesforce.add("Contact", "0030000000000A9AAA", fields("Email", "long.name@sf.example", "FirstName", "N".repeat(5000),
                "LastName", "Long", "HasOptedOutOfEmail", true));

        sync.poll("salesforce");

        ContactId contact = linked("0030000000000A9AAA");
        assertThat(optIn.status(contact)).isEqualTo(EmailOptInStatus.OPT_OUT_USER);
        assertThat(contacts.get(contact).attributes().values()).containsEntry("lastName", "Long").doesNotContainKey("firstName");
        assertThat(hub.queryForObject("select count(*) from crm_reject where connector_id = 'salesforce' and external_id = ? and reason like '%firstName%'",
                Long.class, "0030000000000A9AAA")).isPositive();
    }

    @Test
    void aLaterPollReadsOnlyWhatChangedAndADeletionMarksTheRecord() {
        sync.poll("salesforce");
        salesforce.change("0030000000000A2AAA", fields("FirstName", "Blaise P."));
        salesforce.change("00Q0000000000L1AAA", fields("IsDeleted", true));

        var result = sync.poll("salesforce");

        assertThat(result.applied()).isGreaterThanOrEqualTo(2);
        assertThat(contacts.get(linked("0030000000000A2AAA")).attributes().values()).containsEntry("firstName", "Blaise P.");
        assertThat(hub.queryForObject("select deleted_in_crm from crm_record where connector_id = 'salesforce' and external_id = ?",
                Boolean.class, "00Q0000000000L1AAA")).isTrue();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(sync.poll("salesforce").applied()).isZero());
    }

    @Test
    void anExpiredSessionLogsInAgainAndThePollCompletes() {
        int loginsBefore = salesforce.logins().size();
        salesforce.expireSessions();
        salesforce.change("0030000000000A1AAA", fields("Phone", "+44 20 7946 0000"));

        var result = sync.poll("salesforce");

        assertThat(result.applied()).isPositive();
        assertThat(salesforce.logins()).hasSizeGreaterThan(loginsBefore);
        assertThat(contacts.get(linked("0030000000000A1AAA")).attributes().values()).containsEntry("phone", "+44 20 7946 0000");
    }

    @Test
    void usernamePasswordLoginSyncsTheSameOrg() {
        var result = sync.poll("sf-password");

        assertThat(result.seen()).isPositive();
        assertThat(salesforce.logins()).anySatisfy(login -> assertThat(login)
                .containsEntry("grant_type", "password").containsEntry("username", "integration@example.com"));
    }

    @Test
    void aPermanentErrorIsRefusedOnceWithItsCodeAndListedWhileTheOtherRecordsAreWritten() {
        salesforce.failWritesTo("0030000000000A2AAA", "DUPLICATE_VALUE", "Email");
        ContactId ada = linked("0030000000000A1AAA");
        ContactId blaise = linked("0030000000000A2AAA");
        tx.executeWithoutResult(s -> {
            consents.record(blaise, "newsletter", true, user("phone call"));
            consents.record(ada, "newsletter", true, user("phone call"));
        });

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(salesforce.record("0030000000000A1AAA").path("Newsletter_Consent__c").asBoolean()).isTrue();
            assertThat(salesforce.record("0030000000000A1AAA").path("Email_Opt_In_Status__c").asText()).isEqualTo("NONE");
            assertThat(salesforce.record("00Q0000000000L2AAA").path("Newsletter_Consent__c").asBoolean()).isTrue();
            assertThat(writeBack.outcomes("salesforce", "refused", null, 20)).anySatisfy(refused -> {
                assertThat(refused.get("contactId")).isEqualTo(blaise.value().toString());
                assertThat(refused.get("reason").toString()).contains("0030000000000A2AAA").contains("DUPLICATE_VALUE [Email]");
                assertThat(refused.get("attempts")).isEqualTo(1);
            });
        });
        assertThat(salesforce.patches("0030000000000A2AAA")).hasSize(1);
        assertThat(salesforce.record("0030000000000A2AAA").path("Newsletter_Consent__c").asBoolean()).isFalse();
        salesforce.acceptWritesTo("0030000000000A2AAA");
    }

    @Test
    void aRowLockIsRetriedUntilTheRecordTakesTheWrite() {
        salesforce.failWritesTo("0030000000000W3AAA", "UNABLE_TO_LOCK_ROW");
        ContactId ada = linked("0030000000000W3AAA");
        tx.executeWithoutResult(s -> consents.record(ada, "product-news", true, user("asked at the fair")));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(salesforce.patches("0030000000000W3AAA")).hasSizeGreaterThanOrEqualTo(2));
        assertThat(hub.queryForObject("select last_error from outbox where kind = 'CRM_WRITE_BACK' and contact_id = ? order by id desc limit 1",
                String.class, ada.value())).contains("UNABLE_TO_LOCK_ROW");

        salesforce.acceptWritesTo("0030000000000W3AAA");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(hub.queryForObject(
                "select status from outbox where kind = 'CRM_WRITE_BACK' and contact_id = ? order by id desc limit 1",
                String.class, ada.value())).isEqualTo("DELIVERED"));
    }

    /**
     * A write-back refused on its own (here: its only record is deleted in Salesforce) that comes
     * first in a claim must not keep the claim's staged write-backs from their sObject Collections
     * call: they would sit claimed, unsent, until their lease ran out.
     */
    @Test
    void aWriteBackRefusedFirstInAClaimHoldsBackNoneOfTheWriteBacksStagedAfterIt() throws Exception {
        ContactId gone = linked("0030000000000D1AAA");
        ContactId after = linked("0030000000000D2AAA");
        sync.poll("salesforce");
        salesforce.change("0030000000000D1AAA", fields("IsDeleted", true));
        sync.poll("salesforce");
        assertThat(hub.queryForObject("select deleted_in_crm from crm_record where connector_id = 'salesforce' and external_id = ?",
                Boolean.class, "0030000000000D1AAA")).isTrue();

        // Both wait for the same claim, the refused one first: the claim takes the longest due first.
        await().atMost(Duration.ofSeconds(20)).until(() -> hub.queryForObject("select count(*) from outbox"
                + " where kind = 'CRM_WRITE_BACK' and status in ('PENDING', 'IN_FLIGHT')", Long.class) == 0);
        camel.getRouteController().stopRoute("crm-write-back-poller");
        try {
            tx.executeWithoutResult(s -> consents.record(gone, "newsletter", true, user("signed up by phone")));
            tx.executeWithoutResult(s -> consents.record(after, "newsletter", true, user("signed up by phone")));
            assertThat(hub.queryForList("select contact_id from outbox where kind = 'CRM_WRITE_BACK' and status = 'PENDING'"
                    + " order by next_attempt_at, id", java.util.UUID.class)).containsExactly(gone.value(), after.value());
        } finally {
            camel.getRouteController().startRoute("crm-write-back-poller");
        }

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(salesforce.record("0030000000000D2AAA").path("Newsletter_Consent__c").asBoolean()).isTrue();
            assertThat(hub.queryForObject("select status from outbox where kind = 'CRM_WRITE_BACK' and contact_id = ?"
                    + " order by id desc limit 1", String.class, after.value())).isEqualTo("DELIVERED");
        });
        assertThat(hub.queryForMap("select status, last_error from outbox where kind = 'CRM_WRITE_BACK' and contact_id = ?"
                + " order by id desc limit 1", gone.value()))
                .containsEntry("status", "REFUSED").containsEntry("last_error", "0030000000000D1AAA is deleted in the CRM");
    }

    @Test
    void aWriteBackWaitsOutTheOrgsRequestLimitWithoutSpendingAttemptsAndIsWrittenAfter() {
        ContactId emmyLike = linked("0030000000000W1AAA");
        salesforce.refuseCallsForTheLimit();
        try {
            tx.executeWithoutResult(s -> consents.record(emmyLike, "share-with-partner-acme", false, user("no partners")));

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                var pending = hub.queryForMap("select status, attempts, last_error from outbox where kind = 'CRM_WRITE_BACK'"
                        + " and contact_id = ? order by id desc limit 1", emmyLike.value());
                assertThat(pending.get("status")).isEqualTo("PENDING");
                assertThat(String.valueOf(pending.get("last_error"))).contains("REQUEST_LIMIT_EXCEEDED");
                assertThat(pending.get("attempts")).isEqualTo(0);
            });
            assertThat(status.of("salesforce")).containsKey("heldOffUntil");
        } finally {
            salesforce.acceptCalls();
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(hub.queryForObject(
                "select status from outbox where kind = 'CRM_WRITE_BACK' and contact_id = ? order by id desc limit 1",
                String.class, emmyLike.value())).isEqualTo("DELIVERED"));
    }

    @Test
    void aMaintenanceWindowIsWaitedOutForAsLongAsRetryAfterSays() {
        ContactId grace = linked("0030000000000W2AAA");
        salesforce.refuseCallsAsUnavailable(1);
        Instant refusedFrom = Instant.now();
        try {
            tx.executeWithoutResult(s -> consents.record(grace, "newsletter", true, user("signed up at the stand")));
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(hub.queryForObject(
                    "select last_error from outbox where kind = 'CRM_WRITE_BACK' and contact_id = ? order by id desc limit 1",
                    String.class, grace.value())).contains("SERVER_UNAVAILABLE"));
            var heldOff = status.of("salesforce").get("heldOffUntil");
            if (heldOff != null) {
                // Retry-After: 1 — not the 30 s the hub waits when Salesforce names no time.
                assertThat(Instant.parse(heldOff.toString())).isBefore(refusedFrom.plusSeconds(10));
            }
        } finally {
            salesforce.acceptCalls();
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(salesforce.record("0030000000000W2AAA").path("Newsletter_Consent__c").asBoolean()).isTrue());
    }

    @Test
    void aFieldHiddenByFieldLevelSecurityFailsThatObjectOnlyAndThePreflightNamesIt() {
        var result = sync.poll("sf-password");

        assertThat(result.failedObjects()).containsOnlyKeys("Lead");
        assertThat(result.failedObjects().get("Lead")).contains("INVALID_FIELD");
        assertThat(result.seen()).isPositive();
        assertThat(syncLog.pollHealth("sf-password").orElseThrow().lastError()).contains("Lead: ").contains("INVALID_FIELD");
        var state = status.of("sf-password");
        assertThat(state.get("preflightProblems").toString()).contains("field Rating of Lead is not readable by the integration user");
        assertThat(state.get("objects").toString()).contains("object=Contact").contains("lastOutcome=SUCCESS")
                .contains("object=Lead").contains("lastOutcome=FAILED");
    }

    @Test
    void wrongClientCredentialsAreNamedInTheStatus() {
        var result = sync.poll("sf-wrong-secret");

        assertThat(result.failedObjects().get("Contact")).contains("Salesforce refused the login: invalid_client");
        assertThat(syncLog.pollHealth("sf-wrong-secret").orElseThrow().lastError()).contains("invalid_client");
    }

    @Test
    void aConvertedLeadGetsNoWriteBackWhileItsContactCarriesOn() {
        sync.poll("salesforce");
        ContactId hedy = linked("00Q0000000000L3AAA");
        salesforce.convertLead("00Q0000000000L3AAA", "0030000000000C3AAA", fields("Email", "hedy@sf.example",
                "FirstName", "Hedy", "LastName", "Lamarr"));

        sync.poll("salesforce");

        assertThat(linked("0030000000000C3AAA")).isEqualTo(hedy);
        assertThat(hub.queryForObject("select deleted_in_crm from crm_record where connector_id = 'salesforce' and external_id = ?",
                Boolean.class, "00Q0000000000L3AAA")).isTrue();
        int leadWrites = salesforce.patches("00Q0000000000L3AAA").size();
        tx.executeWithoutResult(s -> consents.record(hedy, "newsletter", true, user("phone call")));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(salesforce.record("0030000000000C3AAA").path("Newsletter_Consent__c").asBoolean()).isTrue());
        assertThat(salesforce.patches("00Q0000000000L3AAA")).hasSize(leadWrites);
    }

    @Test
    void aMergedAwayRecordIsMarkedGoneAndItsMasterCarriesOn() {
        sync.poll("salesforce");
        salesforce.merge("0030000000000M1AAA", "0030000000000M2AAA");

        sync.poll("salesforce");

        assertThat(hub.queryForObject("select deleted_in_crm from crm_record where connector_id = 'salesforce' and external_id = ?",
                Boolean.class, "0030000000000M2AAA")).isTrue();
        assertThat(hub.queryForObject("select deleted_in_crm from crm_record where connector_id = 'salesforce' and external_id = ?",
                Boolean.class, "0030000000000M1AAA")).isFalse();
    }

    @Test
    void aReconcileMarksRecordsPurgedFromTheRecycleBinAndReadsWhatCameTooLateForTheLookBack() {
        sync.poll("salesforce");
        salesforce.deleteAndPurge("0030000000000P1AAA");
        salesforce.addCommittedLate("Contact", "0030000000000T1AAA", fields("Email", "tardy@sf.example", "LastName", "Tardy"),
                Duration.ofMinutes(30));

        sync.poll("salesforce");

        assertThat(hub.queryForObject("select deleted_in_crm from crm_record where connector_id = 'salesforce' and external_id = ?",
                Boolean.class, "0030000000000P1AAA")).isFalse();
        assertThat(contacts.findByLink(new CrmLink("salesforce", "0030000000000T1AAA"))).isEmpty();

        var result = sync.reconcile("salesforce");

        assertThat(result.failedObjects()).isEmpty();
        assertThat(hub.queryForObject("select deleted_in_crm from crm_record where connector_id = 'salesforce' and external_id = ?",
                Boolean.class, "0030000000000P1AAA")).isTrue();
        assertThat(contacts.get(linked("0030000000000T1AAA")).attributes().values()).containsEntry("lastName", "Tardy");
        assertThat(salesforce.requests()).anyMatch(r -> r.startsWith("GET /services/data/v65.0/sobjects/Contact/deleted/?start="));
    }

    @Test
    void anOptOutInTheHubSetsHasOptedOutOfEmail() {
        ContactId grace = linked("00Q0000000000L1AAA");
        tx.executeWithoutResult(s -> consents.record(grace, "product-news", false, user("unsubscribed by phone")));
        ContactId carl = linked("0030000000000A3AAA");
        tx.executeWithoutResult(s -> consents.record(carl, "newsletter", false, user("asked again")));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(salesforce.record("0030000000000A3AAA").path("HasOptedOutOfEmail").asBoolean()).isTrue();
            assertThat(salesforce.record("0030000000000A3AAA").path("Email_Opt_In_Status__c").asText()).isEqualTo("OPT_OUT_USER");
        });
    }
}
