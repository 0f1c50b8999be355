package io.consenthub.crm.salesforce;

import io.consenthub.contact.ContactDirectory;
import io.consenthub.contact.ContactId;
import io.consenthub.contact.CrmLink;
import io.consenthub.crm.CrmReconciliation;
import io.consenthub.crm.CrmSyncLog;
import io.consenthub.consent.optin.EmailOptIn;
import io.consenthub.consent.optin.EmailOptInStatus;
import io.consenthub.support.HubTest;
import io.consenthub.support.PostgresTestDatabase;
import io.consenthub.support.RequiresPostgres;
import io.consenthub.support.SalesforceStandIn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static io.consenthub.support.SalesforceStandIn.fields;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bulk API 2.0 query jobs for the initial sync and the reconcile of a large object, through real
 * camel-salesforce against the stand-in, the hub on PostgreSQL: 50,000 Contacts (opt-outs,
 * deleted, merged and refused records, a field too long for the hub, values with commas, quotes,
 * line breaks and non-ASCII letters, empty fields) arrive completely in a counted handful of
 * calls; a later poll reads
 * through REST and finds them unchanged; a failed job fails its object alone; below the
 * threshold REST is used as before. The tests on sf-bulk build on its one initial sync, in order:
 * the initial sync's checks first, then the later poll, then the reconcile that changes records.
 */
@ExtendWith(RequiresPostgres.class)
@HubTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SalesforceBulkSyncTest {

    private static final Logger log = LoggerFactory.getLogger(SalesforceBulkSyncTest.class);
    private static final int CONTACTS = 50_000;
    /** The defaults of bulk-threshold and bulk-page-size, which sf-bulk leaves as they are. */
    private static final int THRESHOLD = 10_000;
    private static final int BULK_PAGE = 10_000;
    /** Salesforce's default REST query page. */
    private static final int REST_PAGE = 2_000;
    /** The stand-in completes a job at the second ask for its state. */
    private static final int STATUS_ASKS = 2;
    private static final String TRICKY_LAST_NAME = "O'Brien, \"Jr.\"\nsecond line";
    private static final String TRICKY_FIRST_NAME = "Zoë Ångström-李";
    private static final String TRICKY_COUNTRY = "Côte d'Ivoire, Abidjan";
    private static final int MASTER = 1;
    private static final int MERGED_AWAY = 3;
    /** Opted out, with a first name too long for the hub: the field is refused, the opt-out applied. */
    private static final int LONG_NAME = 30_002;

    private static SalesforceStandIn big;
    private static SalesforceStandIn small;
    private static SalesforceCrmSync.PollResult initialSync;
    private static int initialSyncCalls;
    private static int initialSyncJobs;
    private static java.util.List<String> initialSyncRequests;

    @DynamicPropertySource
    static void stores(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.register(registry, "consent_hub_salesforce_bulk_test");
        connector(registry, "sf-bulk", () -> big().url(), null);
        registry.add("consent-hub.crm.connectors.sf-bulk.salesforce.look-back", () -> "1h");
        connector(registry, "sf-small-bulk", () -> small().url(), "3");
        connector(registry, "sf-small-rest", () -> small().url(), "100");
    }

    private static void connector(DynamicPropertyRegistry registry, String id, java.util.function.Supplier<Object> url, String threshold) {
        String at = "consent-hub.crm.connectors." + id + ".";
        registry.add(at + "kind", () -> "salesforce");
        registry.add(at + "enabled", () -> "true");
        registry.add(at + "salesforce.login-url", url);
        registry.add(at + "salesforce.client-id", () -> "test-client");
        registry.add(at + "salesforce.client-secret", () -> "test-secret");
        registry.add(at + "salesforce.bulk-poll-interval", () -> "10ms");
        if (threshold != null) {
            registry.add(at + "salesforce.bulk-threshold", () -> threshold);
        }
        registry.add(at + "salesforce.objects.Contact.attributes.firstName", () -> "FirstName");
        registry.add(at + "salesforce.objects.Contact.attributes.lastName", () -> "LastName");
        registry.add(at + "salesforce.objects.Contact.attributes.phone", () -> "Phone");
        registry.add(at + "salesforce.objects.Contact.attributes.country", () -> "MailingCountry");
        registry.add(at + "salesforce.objects.Lead.attributes.lastName", () -> "LastName");
        registry.add(at + "salesforce.objects.Lead.attributes.company", () -> "Company");
    }

    private static boolean tricky(int i) {
        return i % 1000 == 0;
    }

    private static boolean deleted(int i) {
        return i % 5000 == 4999;
    }

    private static boolean badEmail(int i) {
        return i % 10_000 == 5001;
    }

    private static boolean optedOut(int i) {
        return (i % 7 == 0 || i == LONG_NAME) && !deleted(i) && !badEmail(i);
    }

    /** Records the hub links: all but the deleted, the merged-away and the refused ones. */
    private static boolean linkedAtTheEnd(int i) {
        return !deleted(i) && !badEmail(i) && i != MERGED_AWAY;
    }

    private static synchronized SalesforceStandIn big() {
        if (big == null) {
            big = new SalesforceStandIn(REST_PAGE);
            big.completeBulkJobsAfter(STATUS_ASKS);
            for (int i = 0; i < CONTACTS; i++) {
                Map<String, Object> values = fields("Email", badEmail(i) ? "not an email" : "person" + i + "@bulk.example",
                        "LastName", tricky(i) ? TRICKY_LAST_NAME : "P" + i, "HasOptedOutOfEmail", optedOut(i), "IsDeleted", deleted(i));
                if (tricky(i)) {
                    values.put("FirstName", TRICKY_FIRST_NAME);
                    values.put("MailingCountry", TRICKY_COUNTRY);
                }
                if (i % 2 == 1) {
                    values.put("Phone", "+44 20 " + i);
                }
                if (i == LONG_NAME) {
                    values.put("FirstName", "N".repeat(5000));
                }
                big.add("Contact", id("003", i), values);
            }
            big.merge(id("003", MASTER), id("003", MERGED_AWAY));
        }
        return big;
    }

    /** 5 Contacts and 3 Leads, REST pages of 2: sf-small-bulk (threshold 3) reads both through Bulk, sf-small-rest through REST. */
    private static synchronized SalesforceStandIn small() {
        if (small == null) {
            small = new SalesforceStandIn(2);
            for (int i = 0; i < 5; i++) {
                small.add("Contact", id("003", i), fields("Email", "small" + i + "@bulk.example", "LastName", "S" + i));
            }
            for (int i = 0; i < 3; i++) {
                small.add("Lead", id("00Q", i), fields("Email", "lead" + i + "@bulk.example", "LastName", "L" + i, "Company", "C"));
            }
            small.failBulkQueriesOn("Lead", "InternalServerError : retried more than 15 times");
        }
        return small;
    }

    private static String id(String prefix, int i) {
        return prefix + String.format("%012d", i) + "AAA";
    }

    @AfterAll
    static void stop() {
        big.close();
        small.close();
    }

    @Autowired
    SalesforceCrmSync sync;
    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;
    @Autowired
    ContactDirectory contacts;
    @Autowired
    EmailOptIn optIn;
    @Autowired
    CrmReconciliation reconciliation;
    @Autowired
    CrmSyncLog syncLog;
    @Autowired
    JdbcTemplate hub;

    /** The first poll of sf-bulk, once for the tests that build on it; its calls counted at the stand-in. */
    private synchronized SalesforceCrmSync.PollResult initialSync() {
        if (initialSync == null) {
            int before = big.apiCalls();
            int requestsBefore = big.requests().size();
            long started = System.nanoTime();
            initialSync = sync.poll("sf-bulk");
            initialSyncCalls = big.apiCalls() - before;
            initialSyncJobs = big.bulkJobsCreated();
            initialSyncRequests = big.requests().subList(requestsBefore, big.requests().size());
            log.info("Bulk initial sync of {} Contacts took {} ms", CONTACTS, (System.nanoTime() - started) / 1_000_000);
        }
        return initialSync;
    }

    private ContactId linked(String connector, String id) {
        return contacts.findByLink(new CrmLink(connector, id)).orElseThrow();
    }

    private long count(String sql, Object... args) {
        return hub.queryForObject(sql, Long.class, args);
    }

    @Test
    @Order(1)
    void aBulkInitialSyncOfFiftyThousandContactsArrivesCompletelyAndCorrectlyInFewCalls() {
        var result = initialSync();

        assertThat(result.failedObjects()).isEmpty();
        assertThat(result.seen()).isEqualTo(CONTACTS);
        assertThat(initialSyncJobs).isEqualTo(1);
        // Contact: describe, the REST page that counts it, the job, its status asks, its result pages;
        // Lead (none): describe and one REST query.
        int bulkPages = (CONTACTS + BULK_PAGE - 1) / BULK_PAGE;
        assertThat(initialSyncCalls).isEqualTo(1 + 1 + 1 + STATUS_ASKS + bulkPages + 1 + 1);
        assertThat(initialSyncRequests).filteredOn(r -> r.startsWith("GET " + SalesforceStandIn.API + "jobs/query/") && r.contains("/results"))
                .hasSize(bulkPages).allMatch(r -> r.contains("maxRecords=" + BULK_PAGE));

        long expectedLinks = IntStream.range(0, CONTACTS).filter(SalesforceBulkSyncTest::linkedAtTheEnd).count();
        assertThat(count("select count(*) from crm_link where connector_id = 'sf-bulk'")).isEqualTo(expectedLinks);
        // Every record read has its sync record, the refused ones too (their content is known, so an unchanged one is not refused again).
        assertThat(count("select count(*) from crm_record where connector_id = 'sf-bulk'")).isEqualTo(CONTACTS);
        long expectedOptOuts = IntStream.range(0, CONTACTS).filter(i -> optedOut(i) && linkedAtTheEnd(i)).count();
        assertThat(count("select count(*) from crm_link l join consent_state s on s.contact_id = l.contact_id"
                + " where l.connector_id = 'sf-bulk' and s.subject = 'email-opt-in' and s.state_value = ?",
                EmailOptInStatus.OPT_OUT_USER.name())).isEqualTo(expectedOptOuts);
        assertThat(optIn.status(linked("sf-bulk", id("003", 7)))).isEqualTo(EmailOptInStatus.OPT_OUT_USER);
        assertThat(optIn.status(linked("sf-bulk", id("003", 8)))).isNotEqualTo(EmailOptInStatus.OPT_OUT_USER);

        for (int i = 0; i < CONTACTS; i += 1000) {
            assertThat(contacts.get(linked("sf-bulk", id("003", i))).attributes().values())
                    .containsEntry("firstName", TRICKY_FIRST_NAME).containsEntry("lastName", TRICKY_LAST_NAME)
                    .containsEntry("country", TRICKY_COUNTRY).doesNotContainKey("phone");
        }
        assertThat(contacts.get(linked("sf-bulk", id("003", 12_345))).attributes().values())
                .containsEntry("lastName", "P12345").containsEntry("phone", "+44 20 12345").doesNotContainKeys("firstName", "country");

        ContactId longName = linked("sf-bulk", id("003", LONG_NAME));
        assertThat(optIn.status(longName)).isEqualTo(EmailOptInStatus.OPT_OUT_USER);
        assertThat(contacts.get(longName).attributes().values()).containsEntry("lastName", "P" + LONG_NAME).doesNotContainKey("firstName");
        assertThat(count("select count(*) from crm_reject where connector_id = 'sf-bulk' and external_id = ? and reason like '%firstName%'",
                id("003", LONG_NAME))).isEqualTo(1);

        assertThat(count("select count(*) from crm_record where connector_id = 'sf-bulk' and deleted_in_crm")).isEqualTo(10 + 1);
        assertThat(contacts.findByLink(new CrmLink("sf-bulk", id("003", MERGED_AWAY)))).isEmpty();
        assertThat(contacts.findByLink(new CrmLink("sf-bulk", id("003", 4999)))).isEmpty();
        assertThat(count("select count(*) from crm_reject where connector_id = 'sf-bulk' and reason like '%not a valid email%'"))
                .isEqualTo(5);
    }

    @Test
    @Order(2)
    void aLaterPollReadsThroughRestAndFindsTheBulkReadRecordsUnchanged() {
        initialSync();
        int jobsBefore = big.bulkJobsCreated();
        int before = big.apiCalls();

        var result = sync.poll("sf-bulk");

        // The look-back (1h, records one second apart) re-reads the newest 3,600 records through REST.
        assertThat(result.seen()).isGreaterThanOrEqualTo(3_600);
        assertThat(result.applied()).isZero();
        assertThat(result.rejected()).isZero();
        assertThat(big.bulkJobsCreated()).isEqualTo(jobsBefore);
        assertThat(big.apiCalls() - before).isEqualTo((int) ((result.seen() + REST_PAGE - 1) / REST_PAGE) + 1);
    }

    @Test
    @Order(3)
    void aReconcileAboveTheThresholdReadsThroughBulkAndAppliesOnlyWhatChanged() {
        initialSync();
        big.change(id("003", 20_001), fields("FirstName", "Changed"));
        big.change(id("003", 20_003), fields("HasOptedOutOfEmail", true));
        big.change(id("003", 20_005), fields("LastName", "Comma, \"quoted\""));
        int jobsBefore = big.bulkJobsCreated();

        var result = sync.reconcile("sf-bulk");

        assertThat(result.failedObjects()).isEmpty();
        assertThat(big.bulkJobsCreated()).isEqualTo(jobsBefore + 1);
        // The three changed records, and the merged-away record once more: getDeleted names it with its
        // deletion time, a newer version of it than the queryAll row the initial sync applied.
        assertThat(result.applied()).isEqualTo(3 + 1);
        assertThat(contacts.get(linked("sf-bulk", id("003", 20_001))).attributes().values()).containsEntry("firstName", "Changed");
        assertThat(optIn.status(linked("sf-bulk", id("003", 20_003)))).isEqualTo(EmailOptInStatus.OPT_OUT_USER);
        assertThat(contacts.get(linked("sf-bulk", id("003", 20_005))).attributes().values())
                .containsEntry("lastName", "Comma, \"quoted\"");
        assertThat(reconciliation.last("sf-bulk").orElseThrow().missing()).isZero();
        assertThat(reconciliation.last("sf-bulk").orElseThrow().finishedAt()).isNotNull();
    }

    @Test
    void aFailedBulkJobLeavesThatObjectToTheRestApiAndTheOtherObjectSyncsThroughBulk() {
        var result = sync.poll("sf-small-bulk");

        assertThat(result.failedObjects()).isEmpty();
        for (int i = 0; i < 5; i++) {
            assertThat(contacts.findByLink(new CrmLink("sf-small-bulk", id("003", i)))).isPresent();
        }
        assertThat(contacts.findByLink(new CrmLink("sf-small-bulk", id("00Q", 0)))).isPresent();
        assertThat(small.requests()).anyMatch(r -> r.startsWith("GET " + SalesforceStandIn.API + "jobs/query/") && r.contains("/results"));
        // The Lead job was created and failed; the Leads were then read by REST queries.
        int failedJob = indexOf(small.requests(), r -> r.startsWith("POST " + SalesforceStandIn.API + "jobs/query"), 1);
        assertThat(small.requests().subList(failedJob, small.requests().size()))
                .anyMatch(r -> r.contains("/queryAll/") && r.contains("FROM%20Lead"));
        assertThat(meters.get("consent_hub.salesforce.bulk.jobs.failed").tag("connector", "sf-small-bulk").tag("object", "Lead")
                .counter().count()).isEqualTo(1.0);
    }

    /** The index of the {@code n}-th (0-based) request matching. */
    private static int indexOf(List<String> requests, java.util.function.Predicate<String> matching, int n) {
        int seen = 0;
        for (int i = 0; i < requests.size(); i++) {
            if (matching.test(requests.get(i)) && seen++ == n) {
                return i;
            }
        }
        throw new AssertionError("no request number " + n + " matching");
    }

    @Test
    void belowTheThresholdTheObjectIsReadThroughRestAsBefore() {
        int jobsBefore = small.bulkJobsCreated();

        var result = sync.poll("sf-small-rest");

        assertThat(result.failedObjects()).isEmpty();
        assertThat(small.bulkJobsCreated()).isEqualTo(jobsBefore);
        assertThat(result.pages()).isEqualTo(3 + 2);
        for (int i = 0; i < 5; i++) {
            assertThat(contacts.findByLink(new CrmLink("sf-small-rest", id("003", i)))).isPresent();
        }
        assertThat(contacts.findByLink(new CrmLink("sf-small-rest", id("00Q", 2)))).isPresent();
    }
}
