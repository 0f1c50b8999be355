package io.consenthub.crm.salesforce;

import io.consenthub.consent.optin.EmailOptIn;
import io.consenthub.consent.optin.EmailOptInStatus;
import io.consenthub.contact.ContactDirectory;
import io.consenthub.contact.ContactId;
import io.consenthub.contact.CrmLink;
import io.consenthub.crm.CrmSyncLog;
import io.consenthub.support.ConnectorConfig;
import io.consenthub.support.HubTest;
import io.consenthub.support.PostgresTestDatabase;
import io.consenthub.support.RequiresPostgres;
import io.consenthub.support.SalesforceChangeEvents;
import io.consenthub.support.SalesforceStandIn;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.util.Map;

import static io.consenthub.support.SalesforceStandIn.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Change Data Capture through real camel-salesforce (its CometD streaming consumer) against the
 * stand-in's Streaming API, the hub on PostgreSQL, with the shipped mapping and polls an hour apart
 * so that only the stream can bring a change in time: an opt-out made in Salesforce reaches the hub
 * in seconds without a query, a new record costs one read by Id, a change of unmapped fields
 * costs nothing, a deletion needs no read, and a stopped stream resumes from the replay id stored
 * in the hub's database.
 */
@ExtendWith(RequiresPostgres.class)
@HubTest
// The streams' CometD threads must not outlive this class: closed with the context, the stand-in last.
@org.springframework.test.annotation.DirtiesContext(classMode = org.springframework.test.annotation.DirtiesContext.ClassMode.AFTER_CLASS)
@org.springframework.context.annotation.Import(SalesforceStreamingTest.StandInLifecycle.class)
class SalesforceStreamingTest {

    /** Closes the stand-in when the hub's context closes, after Camel has stopped the streams. */
    @org.springframework.boot.test.context.TestConfiguration
    static class StandInLifecycle {
        @org.springframework.context.annotation.Bean
        org.springframework.beans.factory.DisposableBean salesforceStandInCloser() {
            return () -> salesforce.close();
        }
    }

    private static final String CHANNEL = "/data/ChangeEvents";
    private static SalesforceStandIn salesforce;

    @DynamicPropertySource
    static void stores(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.register(registry, "consent_hub_sf_streaming_test");
        ConnectorConfig.load(registry, "config/crm/salesforce.yaml.example");
        registry.add("SF_LOGIN_URL", () -> salesforce().url());
        registry.add("SF_CLIENT_ID", () -> "test-client");
        registry.add("SF_CLIENT_SECRET", () -> "test-secret");
        registry.add("SF_POLL_PERIOD", () -> "1h");
        registry.add("SF_STREAMING", () -> "true");
        String wrong = "consent-hub.crm.connectors.sf-wrong-secret.";
        registry.add(wrong + "kind", () -> "salesforce");
        registry.add(wrong + "enabled", () -> "true");
        registry.add(wrong + "poll-period", () -> "1h");
        registry.add(wrong + "salesforce.login-url", () -> salesforce().url());
        registry.add(wrong + "salesforce.client-id", () -> "test-client");
        registry.add(wrong + "salesforce.client-secret", () -> "not-the-secret");
        registry.add(wrong + "salesforce.objects.Lead.email", () -> "Email");
        registry.add(wrong + "salesforce.streaming.enabled", () -> "true");
        registry.add(wrong + "salesforce.streaming.channel", () -> "/data/LeadChangeEvent");
        String optOutsOnly = "consent-hub.crm.connectors.sf-opt-outs-only.";
        registry.add(optOutsOnly + "kind", () -> "salesforce");
        registry.add(optOutsOnly + "enabled", () -> "true");
        registry.add(optOutsOnly + "poll-period", () -> "1h");
        registry.add(optOutsOnly + "salesforce.login-url", () -> salesforce().url());
        registry.add(optOutsOnly + "salesforce.client-id", () -> "test-client");
        registry.add(optOutsOnly + "salesforce.client-secret", () -> "test-secret");
        registry.add(optOutsOnly + "salesforce.objects.Contact.email", () -> "Email");
        registry.add(optOutsOnly + "salesforce.streaming.enabled", () -> "true");
        registry.add(optOutsOnly + "salesforce.streaming.channel", () -> "/data/ContactChangeEvent");
        registry.add(optOutsOnly + "salesforce.streaming.read-changes", () -> "false");
        // Kurt's record is another test's: this connector leaves it out.
        registry.add(optOutsOnly + "salesforce.objects.Contact.where", () -> "LastName != 'Goedel'");
    }

    private static synchronized SalesforceStandIn salesforce() {
        if (salesforce == null) {
            salesforce = new SalesforceStandIn(2000);
            salesforce.add("Contact", "0030000000000S1AAA", fields("Email", "ada@stream.example", "FirstName", "Ada", "LastName", "Lovelace"));
            salesforce.add("Contact", "0030000000000S2AAA", fields("Email", "blaise@stream.example", "FirstName", "Blaise", "LastName", "Pascal"));
            salesforce.add("Contact", "0030000000000S3AAA", fields("Email", "carl@stream.example", "FirstName", "Carl", "LastName", "Gauss"));
            salesforce.add("Contact", "0030000000000S4AAA", fields("Email", "kurt@stream.example", "FirstName", "Kurt", "LastName", "Goedel"));
            salesforce.add("Lead", "00Q0000000000S1AAA", fields("Email", "grace@stream.example", "FirstName", "Grace", "LastName", "Hopper", "Company", "Navy"));
            salesforce.streamChanges();
        }
        return salesforce;
    }

    @Autowired
    CrmSyncLog syncLog;
    @Autowired
    ContactDirectory contacts;
    @Autowired
    EmailOptIn optIn;
    @Autowired
    JdbcTemplate hub;
    @Autowired
    SalesforceStatus status;
    @Autowired
    SalesforceStreams streams;
    @Autowired
    SalesforceCrmSync sync;
    @Autowired
    org.springframework.transaction.support.TransactionTemplate tx;

    @BeforeEach
    void firstPollDoneAndStreamSubscribed() {
        await().atMost(Duration.ofSeconds(30)).until(() -> syncLog.status("salesforce").isPresent()
                && syncLog.status("sf-opt-outs-only").isPresent());
        await().atMost(Duration.ofSeconds(30)).until(() -> salesforce.changeEvents().subscribed(CHANNEL)
                && Boolean.TRUE.equals(streaming().get("subscribedHere")));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> streaming() {
        return (Map<String, Object>) status.of("salesforce").get("streaming");
    }

    private ContactId linked(String id) {
        return contacts.findByLink(new CrmLink("salesforce", id)).orElseThrow();
    }

    /** Queries that read this record by Id (a poll's query names no record). */
    private long readsOf(String id) {
        return salesforce.requests().stream().filter(r -> (r.contains("/queryAll/") || r.contains("/query/")) && r.contains(id)).count();
    }

    private long streamEvents() {
        Long events = hub.query("select events from sf_stream_state where connector_id = 'salesforce' and channel = ?",
                rs -> rs.next() ? rs.getLong(1) : null, CHANNEL);
        return events == null ? 0 : events;
    }

    private Long storedReplayId() {
        return hub.query("select replay_id from sf_stream_state where connector_id = 'salesforce' and channel = ?",
                rs -> rs.next() ? (Long) rs.getObject(1, Long.class) : null, CHANNEL);
    }

    private void awaitApplied(long replayId) {
        await().atMost(Duration.ofSeconds(15)).until(() -> storedReplayId() != null && storedReplayId() >= replayId);
    }

    @Test
    void anOptOutMadeInSalesforceReachesTheHubWithinSecondsWithoutAQuery() {
        ContactId ada = linked("0030000000000S1AAA");
        assertThat(optIn.status(ada)).isNotEqualTo(EmailOptInStatus.OPT_OUT_USER);
        long event = salesforce.changeEvents().nextReplayId();

        salesforce.change("0030000000000S1AAA", fields("HasOptedOutOfEmail", true));

        await().atMost(Duration.ofSeconds(10)).until(() -> optIn.status(ada) == EmailOptInStatus.OPT_OUT_USER);
        awaitApplied(event);
        assertThat(readsOf("0030000000000S1AAA")).isZero();
        // The flag is Salesforce's own, also once the hub's write-back (of the same opt-out) has gone out:
        // the hub never clears a flag it did not raise.
        await().atMost(Duration.ofSeconds(15)).until(() -> !salesforce.patches("0030000000000S1AAA").isEmpty());
        assertThat(hub.queryForObject("select opt_out_flag from crm_record where connector_id = 'salesforce' and external_id = ?",
                String.class, "0030000000000S1AAA")).isEqualTo("CRM");
        assertThat(streaming()).containsEntry("channel", CHANNEL).containsKey("lastEventAt");
        assertThat(((Number) streaming().get("replayId")).longValue()).isGreaterThanOrEqualTo(event);
    }

    @Test
    void aNewRecordCostsOneReadByIdAndAChangeOfUnmappedFieldsCostsNothing() {
        salesforce.add("Contact", "0030000000000S9AAA", fields("Email", "hedy@stream.example", "FirstName", "Hedy", "LastName", "Lamarr"));

        await().atMost(Duration.ofSeconds(10)).until(() -> contacts.findByLink(new CrmLink("salesforce", "0030000000000S9AAA")).isPresent());
        assertThat(contacts.get(linked("0030000000000S9AAA")).attributes().values()).containsEntry("firstName", "Hedy");
        assertThat(readsOf("0030000000000S9AAA")).isEqualTo(1);

        // A connector streaming with read-changes: false leaves the new record to its next poll.
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            Long seen = hub.query("select replay_id from sf_stream_state where connector_id = 'sf-opt-outs-only'",
                    rs -> rs.next() ? (Long) rs.getObject(1, Long.class) : null);
            return seen != null && seen >= salesforce.changeEvents().nextReplayId() - 1;
        });
        assertThat(contacts.findByLink(new CrmLink("sf-opt-outs-only", "0030000000000S9AAA"))).isEmpty();
        assertThat(contacts.findByLink(new CrmLink("sf-opt-outs-only", "0030000000000S1AAA"))).isPresent();

        long unmapped = salesforce.changeEvents().nextReplayId();
        salesforce.change("0030000000000S9AAA", fields("Title", "Actress", "Description", "Inventor"));
        awaitApplied(unmapped);

        assertThat(readsOf("0030000000000S9AAA")).isEqualTo(1);
    }

    @Test
    void aChangedNameArrivesAsAPartOfTheCompoundNameAndIsReadOnce() {
        long event = salesforce.changeEvents().nextReplayId();

        // Salesforce sends it as Name.FirstName, nested under Name in the event's body.
        salesforce.change("0030000000000S3AAA", fields("FirstName", "Carl Friedrich"));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(contacts.get(linked("0030000000000S3AAA"))
                .attributes().values()).containsEntry("firstName", "Carl Friedrich"));
        awaitApplied(event);
        assertThat(readsOf("0030000000000S3AAA")).isEqualTo(1);
    }

    @Test
    void aLateOptOutEventOlderThanWhatThePollAppliedDoesNotUndoALaterOptIn() {
        ContactId kurt = linked("0030000000000S4AAA");
        // Delivery lags: the polls read the record's changes before its events arrive.
        salesforce.changeEvents().hold();
        salesforce.change("0030000000000S4AAA", fields("HasOptedOutOfEmail", true));
        sync.poll("salesforce");
        assertThat(optIn.status(kurt)).isEqualTo(EmailOptInStatus.OPT_OUT_USER);
        salesforce.change("0030000000000S4AAA", fields("HasOptedOutOfEmail", false, "FirstName", "Kurt F."));
        sync.poll("salesforce");
        assertThat(contacts.get(kurt).attributes().values()).containsEntry("firstName", "Kurt F.");
        // The contact asked a user of the hub to be emailed again.
        tx.executeWithoutResult(status -> {
            contacts.lock(kurt);
            optIn.attempt(kurt, io.consenthub.consent.optin.OptInAction.REVERT_OPT_OUT_USER, new io.consenthub.consent.Evidence(
                    io.consenthub.consent.ActorKind.USER, "test-user", "api", java.time.Instant.now(), null, null, null, "asked by phone"));
        });
        assertThat(optIn.status(kurt)).isNotEqualTo(EmailOptInStatus.OPT_OUT_USER);
        long last = salesforce.changeEvents().nextReplayId() - 1;

        salesforce.changeEvents().release();

        awaitApplied(last);
        assertThat(optIn.status(kurt)).isNotEqualTo(EmailOptInStatus.OPT_OUT_USER);
    }

    @Test
    void aDeletionInSalesforceMarksTheRecordWithoutARead() {
        long event = salesforce.changeEvents().nextReplayId();

        salesforce.deleteAndPurge("0030000000000S2AAA");

        await().atMost(Duration.ofSeconds(10)).until(() -> Boolean.TRUE.equals(hub.queryForObject(
                "select deleted_in_crm from crm_record where connector_id = 'salesforce' and external_id = ?", Boolean.class,
                "0030000000000S2AAA")));
        awaitApplied(event);
        assertThat(readsOf("0030000000000S2AAA")).isZero();
    }

    @Test
    void eventsSalesforceNoLongerKeepsAreReadByThePollThatFollowsTheSubscription() throws Exception {
        long applied = salesforce.changeEvents().nextReplayId();
        salesforce.change("0030000000000S1AAA", fields("Title", "Countess"));
        awaitApplied(applied);
        int subscriptionsBefore = salesforce.changeEvents().subscriptions().size();
        // The hub was down for four days: Salesforce keeps events for three, so the stored replay id
        // would be refused; the stream starts with new events and the poll reads the missed change.
        hub.update("update sf_stream_state set last_event_at = ? where connector_id = 'salesforce' and channel = ?",
                java.sql.Timestamp.from(java.time.Instant.now().minus(Duration.ofDays(4))), CHANNEL);
        streams.stop("salesforce");
        long missed = salesforce.changeEvents().nextReplayId();
        salesforce.change("0030000000000S1AAA", fields("LastName", "King"));
        salesforce.changeEvents().forgetUpTo(missed);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(contacts.get(linked("0030000000000S1AAA"))
                .attributes().values()).containsEntry("lastName", "King"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(salesforce.changeEvents().subscriptions()
                .subList(subscriptionsBefore, salesforce.changeEvents().subscriptions().size()))
                .containsExactly(new SalesforceChangeEvents.Subscription(CHANNEL, -1)));
    }

    @Test
    void aStreamThatCannotLogInIsReportedWithTheReasonAndTheHubRunsOn() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            @SuppressWarnings("unchecked")
            var stream = (Map<String, Object>) status.of("sf-wrong-secret").get("streaming");
            assertThat(stream).containsEntry("channel", "/data/LeadChangeEvent").containsEntry("subscribedHere", false);
            assertThat(String.valueOf(stream.get("lastError"))).contains("invalid_client");
        });
        assertThat(salesforce.changeEvents().subscribed("/data/LeadChangeEvent")).isFalse();
        assertThat(Boolean.TRUE.equals(streaming().get("subscribedHere"))).isTrue();
    }

    @Test
    void aStoppedStreamResumesFromTheReplayIdStoredInTheHubsDatabase() throws Exception {
        long rename = salesforce.changeEvents().nextReplayId();
        salesforce.change("00Q0000000000S1AAA", fields("Company", "US Navy"));
        awaitApplied(rename);
        int subscriptionsBefore = salesforce.changeEvents().subscriptions().size();
        // The hub's record, not what camel-salesforce saw last in this JVM, says where to resume:
        // set back before the rename, the rename is replayed (and changes nothing the second time).
        hub.update("update sf_stream_state set replay_id = ? where connector_id = 'salesforce' and channel = ?", rename - 1, CHANNEL);
        streams.stop("salesforce");

        ContactId grace = linked("00Q0000000000S1AAA");
        salesforce.change("00Q0000000000S1AAA", fields("HasOptedOutOfEmail", true));

        long eventsBefore = streamEvents();
        await().atMost(Duration.ofSeconds(20)).until(() -> optIn.status(grace) == EmailOptInStatus.OPT_OUT_USER);
        // The stream itself handled the replayed rename and the opt-out (the poll after subscribing reads them too).
        await().atMost(Duration.ofSeconds(10)).until(() -> streamEvents() >= eventsBefore + 2);
        assertThat(salesforce.changeEvents().subscriptions().subList(subscriptionsBefore,
                salesforce.changeEvents().subscriptions().size()))
                .contains(new SalesforceChangeEvents.Subscription(CHANNEL, rename - 1));
        assertThat(contacts.get(grace).attributes().values()).containsEntry("company", "US Navy");
    }
}
