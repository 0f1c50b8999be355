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
        registry.add(password + "salesforce.objects.Lead.attributes.company", () -> "Company");
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

    @BeforeEach
    void firstPollByTheRouteIsDone() {
        await().atMost(Duration.ofSeconds(30)).until(() -> syncLog.status("salesforce").isPresent());
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
        assertThat(salesforce.requests()).anyMatch(r -> r.startsWith("GET /services/data/v56.0/queryAll/?q=SELECT"))
                .anyMatch(r -> r.startsWith("GET /services/data/v56.0/query/01gSTANDIN"));
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
    void consentChangesAreWrittenBackAndOneRecordsFieldErrorIsRetriedWithoutStoppingTheOthers() {
        salesforce.failWritesTo("0030000000000A2AAA");
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
            assertThat(salesforce.patches("0030000000000A2AAA")).hasSizeGreaterThanOrEqualTo(2);
        });
        assertThat(hub.queryForObject("select last_error from outbox where kind = 'CRM_WRITE_BACK' and contact_id = ? order by id desc limit 1",
                String.class, blaise.value())).contains("FIELD_CUSTOM_VALIDATION_EXCEPTION");

        salesforce.acceptWritesTo("0030000000000A2AAA");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(salesforce.record("0030000000000A2AAA").path("Newsletter_Consent__c").asBoolean()).isTrue());
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
