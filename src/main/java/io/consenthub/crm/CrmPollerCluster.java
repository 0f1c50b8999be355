package io.consenthub.crm;

import com.hazelcast.core.HazelcastInstance;
import org.apache.camel.component.hazelcast.policy.HazelcastRoutePolicy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.concurrent.TimeUnit;

/**
 * Runs the CRM pollers on one cluster member only: the routes in {@code routes/crm/} name this
 * policy (camel-hazelcast's, see {@link LeaderOnlyRoutePolicy}), which holds a lock in the
 * embedded Hazelcast cluster; the member that holds it polls,
 * the others keep their pollers stopped until the holder leaves the cluster. Two members polling
 * at once would be safe (rows are applied idempotently) but wasteful; CRM write-back is not behind
 * this policy, because the outbox leases each message to one member already.
 */
@Configuration
class CrmPollerCluster {

    static final String LOCK_MAP = "consent-hub-leaders";
    static final String LOCK_KEY = "crm-pollers";

    @Bean("crmPollerLeadership")
    HazelcastRoutePolicy crmPollerLeadership(HazelcastInstance hazelcast) {
        var policy = new LeaderOnlyRoutePolicy(hazelcast);
        policy.setLockMapName(LOCK_MAP);
        policy.setLockKey(LOCK_KEY);
        policy.setLockValue(hazelcast.getCluster().getLocalMember().getUuid().toString());
        policy.setTryLockTimeout(10, TimeUnit.SECONDS);
        return policy;
    }
}
