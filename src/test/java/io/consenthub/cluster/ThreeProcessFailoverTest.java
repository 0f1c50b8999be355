package io.consenthub.cluster;

import io.consenthub.support.ApiClient;
import io.consenthub.support.MariaDbTestDatabase;
import io.consenthub.support.PostgresTestDatabase;
import io.consenthub.support.RequiresMariaDb;
import io.consenthub.support.RequiresPostgres;
import io.consenthub.support.TestKeys;
import io.consenthub.support.TestMailServer;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Failover with three real hub processes (README "A cluster of hub nodes"): one Hazelcast cluster
 * with the shipped quorum of 2, one PostgreSQL, a vtiger CRM on MariaDB. The leader is killed with
 * SIGKILL in the middle of the initial CRM sync: another member leads within 15 s and goes on from
 * the stored watermark, and every CRM row ends up applied exactly once. Then a member is killed in
 * the middle of a campaign: every message reaches SMTP, each under its fixed Message-ID, none lost;
 * a repeat is possible only for a message the killed member had handed to SMTP but not yet recorded.
 */
@ExtendWith({RequiresPostgres.class, RequiresMariaDb.class})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ThreeProcessFailoverTest {

    private static final String CRM_DB = "consent_hub_failover_crm";
    private static final int ROWS = 40_000;
    private static final int RECIPIENTS = 1_500;
    private static HubProcesses hubs;
    private static JdbcTemplate hub;

    @BeforeAll
    static void threeNodes() throws Exception {
        TestMailServer.get();
        String crm = MariaDbTestDatabase.freshVtiger(CRM_DB);
        Path vtiger = Path.of("target", "cluster-processes", "vtiger.yaml").toAbsolutePath();
        Files.createDirectories(vtiger.getParent());
        Files.copy(Path.of("config", "crm", "vtiger.yaml.example"), vtiger, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        hubs = new HubProcesses("consent_hub_failover", 5891, 3, Map.of(
                "spring.config.additional-location", "file:" + vtiger,
                "VTIGER_DB_URL", crm,
                "VTIGER_DB_USER", "root",
                "VTIGER_DB_PASSWORD", "",
                "VTIGER_POLL_PERIOD", "2s",
                "consent-hub.sending-policy", "DOUBLE_AND_SINGLE_USER",
                "consent-hub.outbox.lease", "10s"));
        var ds = new DriverManagerDataSource(PostgresTestDatabase.freshSchema("consent_hub_failover"), "postgres", "");
        hub = new JdbcTemplate(ds);
        hubs.start();
        var second = Executors.newSingleThreadExecutor().submit(() -> hubs.start());
        hubs.start();
        second.get();
        // the CRM's rows appear at once, in one transaction, once all three members are up
        try (var connection = java.sql.DriverManager.getConnection(crm, "root", "")) {
            connection.setAutoCommit(false);
            MariaDbTestDatabase.insertContacts(new JdbcTemplate(new SingleConnectionDataSource(connection, true)), 1, ROWS,
                    "failover.example", LocalDateTime.of(2026, 1, 1, 0, 0));
            connection.commit();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (hubs != null) {
            hubs.close();
        }
        MariaDbTestDatabase.drop(CRM_DB);
    }

    private static long rowsSeen() {
        var seen = hub.queryForList("select rows_seen from crm_watermark where connector_id = 'vtiger'", Long.class);
        return seen.isEmpty() ? 0 : seen.get(0);
    }

    @Test
    @Order(1)
    void killingTheLeaderMidSyncMovesPollingWithin15sAndTheSyncGoesOnFromTheWatermarkApplyingEveryRowOnce() throws Exception {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50)).until(() -> rowsSeen() >= 6_000);
        var leader = hubs.nodes().stream().filter(HubProcesses.Node::leads).toList();
        assertThat(leader).as("exactly one node took the singletons' leadership").hasSize(1);
        long seenAtKill = rowsSeen();
        assertThat(seenAtKill).as("the kill falls in the middle of the sync").isLessThan(ROWS);

        hubs.kill(leader.get(0));
        long killed = System.nanoTime();

        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> hubs.alive().stream().anyMatch(HubProcesses.Node::leads));
        double takeover = (System.nanoTime() - killed) / 1e9;
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                .until(() -> hub.queryForObject("select count(*) from crm_link where connector_id = 'vtiger'", Long.class) == ROWS);
        long seenAfter = rowsSeen();

        assertThat(hub.queryForObject("select count(*) from contact", Long.class)).as("no row lost, none created twice").isEqualTo(ROWS);
        assertThat(hub.queryForObject("select count(*) from crm_record where connector_id = 'vtiger'", Long.class)).isEqualTo(ROWS);
        assertThat(hub.queryForObject("""
                select count(*) from (select contact_id, event_type from consent_event
                 group by contact_id, event_type having count(*) > 1) repeated""", Long.class))
                .as("no contact has an event of the sync twice in its ledger").isZero();
        assertThat(seenAfter).as("the new leader resumed from the stored watermark (%d rows read before the kill, takeover %.1f s)",
                seenAtKill, takeover).isLessThan(seenAtKill + ROWS);
        System.out.printf("failover: killed the leader at %d of %d rows; another member led %.1f s later; %d rows read in all%n",
                seenAtKill, ROWS, takeover, seenAfter);
    }

    @Test
    @Order(2)
    void killingAMemberMidCampaignLosesNoMessageAndRepeatsOnlyWhatItHadInFlight() throws Exception {
        var nodes = hubs.alive();
        assertThat(nodes).hasSizeGreaterThanOrEqualTo(2);
        var api = new ApiClient(nodes.get(0).port());
        assertThat(hubs.subscribers(RECIPIENTS, "campaign.example", hub)).hasSize(RECIPIENTS);
        String subject = "Failover " + System.nanoTime();
        var campaign = api.post("/api/campaigns", TestKeys.USER, ApiClient.json(Map.of("name", "failover", "list", "newsletter",
                "subject", subject, "text", "Hello {unsubscribeLink}")));
        assertThat(campaign.status()).as(campaign.text()).isIn(200, 201, 202);

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> received(subject).size() >= RECIPIENTS / 5);
        hubs.kill(nodes.get(1));
        int atKill = received(subject).size();

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> hub.queryForObject("select count(*) from outbox where kind = 'EMAIL' and status <> 'DELIVERED'", Long.class) == 0);
        List<MimeMessage> mails = received(subject);
        var byMessageId = new HashMap<String, Integer>();
        for (MimeMessage mail : mails) {
            byMessageId.merge(mail.getMessageID(), 1, Integer::sum);
        }
        assertThat(byMessageId).as("every recipient's message reached SMTP, none lost").hasSize(RECIPIENTS);
        assertThat(hub.queryForObject("select count(*) from outbox where kind = 'EMAIL' and status = 'DELIVERED'", Long.class))
                .as("each message recorded delivered once").isEqualTo(RECIPIENTS);
        long repeats = mails.size() - byMessageId.size();
        assertThat(repeats).as("repeats only of what the killed member had claimed (one batch of 50), each under its fixed Message-ID")
                .isLessThanOrEqualTo(50);
        System.out.printf("campaign failover: killed a member after %d of %d messages; %d repeated by Message-ID%n", atKill, RECIPIENTS, repeats);
    }

    private static List<MimeMessage> received(String subject) {
        var matching = new ArrayList<MimeMessage>();
        for (MimeMessage mail : TestMailServer.get().getReceivedMessages()) {
            try {
                if (subject.equals(mail.getSubject())) {
                    matching.add(mail);
                }
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
        return matching;
    }
}
