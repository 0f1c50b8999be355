package io.consenthub.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.support.RoutePolicySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs the CRM pollers (and the scheduled ledger verification, {@code routes/consent/}) on one cluster
 * member only. The routes in {@code routes/crm/} and {@code routes/consent/} name this route policy; it holds a lock in the embedded Hazelcast cluster from a thread of its own (the
 * approach of camel-hazelcast's {@code HazelcastRoutePolicy}), and on a member that does not hold
 * it, a poller's timer tick ends before the poll. When the holder leaves the cluster, Hazelcast
 * releases its lock and another member takes over at its next attempt.
 *
 * <p>It does not stop and restart the route consumers as {@code HazelcastRoutePolicy} does: that
 * raced with route start-up (a route starting while leadership was taken stayed stopped and never
 * polled, seen in the test suite). Two members polling at once would be safe (rows are applied
 * idempotently) but wasteful. CRM write-back is not behind this policy: the outbox leases each
 * message to one member already.
 */
@Component("leaderOnly")
public class LeaderOnlyRoutePolicy extends RoutePolicySupport {

    static final String LOCK_MAP = "consent-hub-leaders";
    static final String LOCK_KEY = "crm-pollers";
    private static final Logger log = LoggerFactory.getLogger(LeaderOnlyRoutePolicy.class);

    private final HazelcastInstance hazelcast;
    private final CountDownLatch firstAttempt = new CountDownLatch(1);
    private final CountDownLatch shutdown = new CountDownLatch(1);
    private volatile boolean leader;
    private Thread holder;

    LeaderOnlyRoutePolicy(HazelcastInstance hazelcast) {
        this.hazelcast = hazelcast;
    }

    /** Starts contending for the lock and waits briefly for the first attempt, so a lone member polls from its first tick. */
    @PostConstruct
    void contend() throws InterruptedException {
        holder = new Thread(this::holdLeadership, "crm-poller-leadership");
        holder.setDaemon(true);
        holder.start();
        firstAttempt.await(15, TimeUnit.SECONDS);
    }

    @PreDestroy
    void resign() throws InterruptedException {
        shutdown.countDown();
        holder.join(TimeUnit.SECONDS.toMillis(10));
    }

    public boolean isLeader() {
        return leader;
    }

    @Override
    public void onExchangeBegin(Route route, Exchange exchange) {
        if (!leader) {
            log.debug("route {}: another cluster member holds the CRM pollers' leadership; this tick does not poll", route.getId());
            exchange.setRouteStop(true);
        }
    }

    private void holdLeadership() {
        IMap<String, String> locks = hazelcast.getMap(LOCK_MAP);
        String member = hazelcast.getCluster().getLocalMember().getUuid().toString();
        while (shutdown.getCount() > 0) {
            boolean locked = false;
            try {
                locked = locks.tryLock(LOCK_KEY, 10, TimeUnit.SECONDS);
                firstAttempt.countDown();
                if (locked) {
                    locks.put(LOCK_KEY, member);
                    leader = true;
                    log.info("CRM pollers' leadership taken by this member ({})", member);
                    shutdown.await();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                firstAttempt.countDown();
                log.warn("CRM pollers' leadership: the cluster lock is unavailable, trying again: {}", e.getMessage());
                if (awaitShutdown()) {
                    return;
                }
            } finally {
                leader = false;
                if (locked) {
                    try {
                        locks.unlock(LOCK_KEY);
                    } catch (RuntimeException e) {
                        log.debug("CRM pollers' leadership: unlock at shutdown failed: {}", e.getMessage());
                    }
                }
            }
        }
    }

    private boolean awaitShutdown() {
        try {
            return shutdown.await(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }
}
