package io.consenthub.crm;

import com.hazelcast.core.HazelcastInstance;
import org.apache.camel.Route;
import org.apache.camel.component.hazelcast.policy.HazelcastRoutePolicy;

/**
 * camel-hazelcast's {@link HazelcastRoutePolicy} with a start-up race closed. The policy takes
 * the cluster lock on its own thread; when that happens while a route is starting, the route can
 * read "not leader", stop its consumer after the policy already restarted every stopped consumer,
 * and then never poll (seen in the test suite: the route reported Started, no timer ran). After
 * the policy's own start check, this one starts the consumer again if leadership arrived meanwhile.
 */
class LeaderOnlyRoutePolicy extends HazelcastRoutePolicy {

    LeaderOnlyRoutePolicy(HazelcastInstance instance) {
        super(instance);
    }

    /**
     * The leader flag is set before the policy restarts the stopped consumers, and stopping and
     * restarting hold the policy's lock: whichever order the two threads run in, the consumer ends
     * up started on the leader.
     */
    @Override
    public void onStart(Route route) {
        super.onStart(route);
        if (isLeader()) {
            try {
                startConsumer(route.getConsumer());
            } catch (Exception e) {
                handleException(e);
            }
        }
    }
}
