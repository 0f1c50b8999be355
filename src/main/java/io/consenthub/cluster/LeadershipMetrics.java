package io.consenthub.cluster;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * Which node runs the singletons, for dashboards and alerts: {@code consent_hub_cluster_leader}
 * (1 on the member that leads, 0 elsewhere; summed over the nodes it should be 1),
 * {@code consent_hub_cluster_members} (the members this one sees) and {@code consent_hub_cluster_quorum}.
 */
@Component
class LeadershipMetrics {

    LeadershipMetrics(LeaderOnlyRoutePolicy leadership, MeterRegistry registry) {
        Gauge.builder("consent_hub.cluster.leader", leadership, l -> l.isLeader() ? 1 : 0)
                .description("1 while this member leads the singletons (CRM pollers, announcements, IMAP, ledger jobs, key rotation)")
                .register(registry);
        Gauge.builder("consent_hub.cluster.members", leadership, LeaderOnlyRoutePolicy::members)
                .description("cluster members this member sees").register(registry);
        Gauge.builder("consent_hub.cluster.quorum", leadership, LeaderOnlyRoutePolicy::quorum)
                .description("members a member must see to lead").register(registry);
    }
}
