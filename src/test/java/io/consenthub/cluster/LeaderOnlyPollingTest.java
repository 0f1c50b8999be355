package io.consenthub.cluster;

import com.hazelcast.core.HazelcastInstance;
import io.consenthub.crm.CrmSyncLog;
import io.consenthub.support.HubTest;
import org.apache.camel.CamelContext;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.ServiceStatus;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Running the CRM pollers: they run under one cluster-wide leadership (this member takes the lock
 * in the embedded Hazelcast cluster and polls; any other member asking for it meanwhile is
 * refused), and their progress is visible as Micrometer metrics.
 */
@HubTest
@TestPropertySource(properties = {
        "spring.datasource.url=jdbc:h2:mem:poller-leadership-hub;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
        "consent-hub.crm.connectors.demo-crm.enabled=true",
        "consent-hub.crm.connectors.demo-crm.poll-period=1h",
        "consent-hub.crm.connectors.demo-crm.jdbc.url=jdbc:h2:mem:poller-leadership-crm;DB_CLOSE_DELAY=-1;MODE=MySQL;DATABASE_TO_LOWER=TRUE"
})
class LeaderOnlyPollingTest {

    @Autowired
    HazelcastInstance hazelcast;
    @Autowired
    CamelContext camel;
    @Autowired
    CrmSyncLog syncLog;
    @Autowired
    MeterRegistry meters;

    @Test
    void theLeaderPollsAndNoOtherMemberCanTakeThePollersLeadership() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> syncLog.status("demo-crm").isPresent());
        assertThat(camel.getRouteController().getRouteStatus("demo-crm-sync")).isEqualTo(ServiceStatus.Started);

        var locks = hazelcast.<String, String>getMap(LeaderOnlyRoutePolicy.LOCK_MAP);
        assertThat(locks.isLocked(LeaderOnlyRoutePolicy.LOCK_KEY)).isTrue();
        assertThat(locks.get(LeaderOnlyRoutePolicy.LOCK_KEY)).isEqualTo(hazelcast.getCluster().getLocalMember().getUuid().toString());
        boolean otherGotIt = CompletableFuture.supplyAsync(() -> {
            try {
                return locks.tryLock(LeaderOnlyRoutePolicy.LOCK_KEY, 200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
        }).get();
        assertThat(otherGotIt).isFalse();
    }

    @Test
    void aMemberWithoutTheLeadershipEndsEachPollerTickBeforeThePoll() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> syncLog.status("demo-crm").isPresent());
        var standby = new LeaderOnlyRoutePolicy(hazelcast);
        standby.contend();
        try {
            var tick = new DefaultExchange(camel);
            standby.onExchangeBegin(camel.getRoute("demo-crm-sync"), tick);

            assertThat(standby.isLeader()).isFalse();
            assertThat(tick.isRouteStop()).isTrue();
        } finally {
            standby.resign();
        }
    }

    @Test
    void pollProgressIsExposedAsRowCountersAndLag() {
        await().atMost(Duration.ofSeconds(30)).until(() -> syncLog.status("demo-crm").isPresent());

        assertThat(meters.get("consent_hub.crm.rows").tags("connector", "demo-crm", "outcome", "seen").counter().count())
                .isGreaterThanOrEqualTo(25);
        assertThat(meters.get("consent_hub.crm.rows").tags("connector", "demo-crm", "outcome", "upserted").counter().count())
                .isPositive();
        assertThat(meters.get("consent_hub.crm.rows").tags("connector", "demo-crm", "outcome", "rejected").counter().count())
                .isEqualTo(1);
        assertThat(meters.get("consent_hub.crm.lag.seconds").tags("connector", "demo-crm").gauge().value()).isNotNegative();
    }

    @Test
    void aLoneMemberWithoutAQuorumLeadsAndSaysSoInItsMetrics() {
        await().atMost(Duration.ofSeconds(30)).until(() -> syncLog.status("demo-crm").isPresent());

        assertThat(meters.get("consent_hub.cluster.leader").gauge().value()).isEqualTo(1);
        assertThat(meters.get("consent_hub.cluster.members").gauge().value()).isEqualTo(1);
        assertThat(meters.get("consent_hub.cluster.quorum").gauge().value()).isEqualTo(1);
    }
}
