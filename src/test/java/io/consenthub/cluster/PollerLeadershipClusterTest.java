package io.consenthub.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.SplitBrainProtectionConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real three-member Hazelcast cluster on loopback (tcp-ip join, as in config/hazelcast-cluster.yaml):
 * exactly one member holds the singletons' leadership, and when it leaves another takes over; with a
 * quorum, a member that sees too few members gives leadership up and refuses leader-only work.
 */
class PollerLeadershipClusterTest {

    private final List<HazelcastInstance> members = new ArrayList<>();
    private final List<LeaderOnlyRoutePolicy> policies = new ArrayList<>();

    @AfterEach
    void leave() throws InterruptedException {
        for (LeaderOnlyRoutePolicy policy : policies) {
            policy.resign();
        }
        members.forEach(m -> {
            if (m.getLifecycleService().isRunning()) {
                m.shutdown();
            }
        });
    }

    private HazelcastInstance member(String cluster, int port) {
        return member(cluster, port, 0);
    }

    /** A member whose lock map has split-brain protection of {@code quorum} members (none for 0), as in hazelcast-cluster.yaml. */
    private HazelcastInstance member(String cluster, int port, int quorum) {
        var config = new Config();
        if (quorum > 0) {
            config.addSplitBrainProtectionConfig(new SplitBrainProtectionConfig("leader-quorum", true, quorum));
            config.getMapConfig(LeaderOnlyRoutePolicy.LOCK_MAP).setSplitBrainProtectionName("leader-quorum");
        }
        config.setClusterName(cluster);
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.logging.type", "slf4j");
        var network = config.getNetworkConfig();
        network.setPort(port).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        var join = network.getJoin();
        join.getAutoDetectionConfig().setEnabled(false);
        join.getMulticastConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).addMember("127.0.0.1:5851").addMember("127.0.0.1:5852").addMember("127.0.0.1:5853");
        HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
        members.add(member);
        return member;
    }

    @Test
    void exactlyOneMemberLeadsThePollersAndAnotherTakesOverWhenItLeaves() throws InterruptedException {
        String cluster = "leadership-" + UUID.randomUUID();
        for (int port = 5851; port <= 5853; port++) {
            HazelcastInstance member = member(cluster, port);
            var policy = new LeaderOnlyRoutePolicy(member);
            policy.contend();
            policies.add(policy);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> members.get(0).getCluster().getMembers().size() == 3);
        await().atMost(Duration.ofSeconds(30)).until(() -> policies.stream().filter(LeaderOnlyRoutePolicy::isLeader).count() == 1);
        int leader = policies.indexOf(policies.stream().filter(LeaderOnlyRoutePolicy::isLeader).findFirst().orElseThrow());

        members.get(leader).getLifecycleService().terminate();

        await().atMost(Duration.ofSeconds(60)).until(() -> policies.stream()
                .filter(p -> policies.indexOf(p) != leader).filter(LeaderOnlyRoutePolicy::isLeader).count() == 1);
        assertThat(policies.stream().filter(p -> policies.indexOf(p) != leader).filter(LeaderOnlyRoutePolicy::isLeader)).hasSize(1);
    }

    @Test
    void aLeaderWhosePeersLeftFallsBelowTheQuorumAndStopsLeadingUntilAPeerIsBack() throws InterruptedException {
        String cluster = "quorum-" + UUID.randomUUID();
        for (int port = 5851; port <= 5853; port++) {
            HazelcastInstance member = member(cluster, port, 2);
            var policy = new LeaderOnlyRoutePolicy(member);
            policy.contend();
            policies.add(policy);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> members.get(0).getCluster().getMembers().size() == 3);
        await().atMost(Duration.ofSeconds(30)).until(() -> policies.stream().filter(LeaderOnlyRoutePolicy::isLeader).count() == 1);
        var leader = policies.stream().filter(LeaderOnlyRoutePolicy::isLeader).findFirst().orElseThrow();
        assertThat(leader.quorum()).isEqualTo(2);
        HazelcastInstance leaderMember = members.get(policies.indexOf(leader));

        members.stream().filter(m -> m != leaderMember).forEach(m -> m.getLifecycleService().terminate());

        await().atMost(Duration.ofSeconds(30)).until(() -> leaderMember.getCluster().getMembers().size() == 1);
        assertThat(leader.isLeader()).as("a lone member of a cluster with a quorum of 2 does not lead").isFalse();
        var tick = new org.apache.camel.support.DefaultExchange(new org.apache.camel.impl.DefaultCamelContext());
        leader.onExchangeBegin(null, tick);
        assertThat(tick.isRouteStop()).as("leader-only work is refused below the quorum").isTrue();

        HazelcastInstance peer = member(cluster, policies.indexOf(leader) == 0 ? 5852 : 5851, 2);
        var peerPolicy = new LeaderOnlyRoutePolicy(peer);
        peerPolicy.contend();
        policies.add(peerPolicy);
        await().atMost(Duration.ofSeconds(30)).until(() -> leaderMember.getCluster().getMembers().size() == 2);
        await().atMost(Duration.ofSeconds(30)).until(() -> leader.isLeader() ^ peerPolicy.isLeader());
    }
}
