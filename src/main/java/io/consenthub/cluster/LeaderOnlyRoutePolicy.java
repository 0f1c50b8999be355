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
 * Runs every singleton of the hub on one cluster member only: the CRM pollers and reconciles, the
 * preference-page announcements, the scheduled ledger verification and checkpoint sealing, the
 * key-rotation job (each such route names this route policy, {@code routePolicy: leaderOnly}) and
 * the IMAP reader (through {@link LeaderOnlyPollStrategy}, so a standby does not even connect).
 * {@code LeaderOnlyPollingTest} fails for a timer or polling route in {@code routes/} that is neither
 * leader-only nor on its list of per-message leased work (the outbox pollers).
 *
 * <p>Leadership is a lock in the embedded Hazelcast cluster held from a thread of its own (the
 * approach of camel-hazelcast's {@code HazelcastRoutePolicy}); on a member that does not lead, a
 * route's exchange ends before its first step. When the holder leaves the cluster (or its process
 * is killed), Hazelcast releases its lock and another member takes it at its next attempt.
 *
 * <p><b>Split brain.</b> Hazelcast Community Edition has no CP subsystem: after a partition each side
 * has its own copy of the lock, so both could lead. A member therefore leads only while it sees at
 * least a quorum of members: the {@code minimum-cluster-size} of the split-brain protection that
 * {@code hazelcast-cluster.yaml} attaches to the lock map (1, i.e. no quorum, when none is attached,
 * as in the single-member default). A leader that sees fewer members stops leading at once (its
 * routes' next exchanges end), releases the lock where it still can and contends again only once a
 * quorum is back; the split-brain protection itself refuses the lock to the minority side. Two
 * leaders at once remain possible for the seconds a partition takes to be noticed; every singleton
 * is idempotent (CRM rows are applied by hash, checkpoints and rotations are fenced in PostgreSQL),
 * so that is wasted work, never wrong data.
 *
 * <p>It does not stop and restart the route consumers as {@code HazelcastRoutePolicy} does: that
 * raced with route start-up (a route starting while leadership was taken stayed stopped and never
 * polled, seen in the test suite).
 */
@Component("leaderOnly")
public class LeaderOnlyRoutePolicy extends RoutePolicySupport {

    static final String LOCK_MAP = "consent-hub-leaders";
    static final String LOCK_KEY = "singletons";
    private static final Logger log = LoggerFactory.getLogger(LeaderOnlyRoutePolicy.class);

    private final HazelcastInstance hazelcast;
    private final int quorum;
    private final CountDownLatch firstAttempt = new CountDownLatch(1);
    private final CountDownLatch shutdown = new CountDownLatch(1);
    private volatile boolean lockHeld;
    /** How many times the holder thread holds the (reentrant) lock; that thread's only. */
    private int holds;
    private Thread holder;

    LeaderOnlyRoutePolicy(HazelcastInstance hazelcast) {
        this.hazelcast = hazelcast;
        this.quorum = quorumOf(hazelcast);
    }

    /** The minimum cluster size of the split-brain protection on the lock map, or 1 without one. */
    static int quorumOf(HazelcastInstance hazelcast) {
        var config = hazelcast.getConfig();
        String name = config.getMapConfig(LOCK_MAP).getSplitBrainProtectionName();
        if (name == null) {
            return 1;
        }
        var protection = config.getSplitBrainProtectionConfig(name);
        return protection == null || !protection.isEnabled() ? 1 : Math.max(1, protection.getMinimumClusterSize());
    }

    /** Starts contending for the lock and waits briefly for the first attempt, so a lone member polls from its first tick. */
    @PostConstruct
    void contend() throws InterruptedException {
        holder = new Thread(this::holdLeadership, "singleton-leadership");
        holder.setDaemon(true);
        holder.start();
        firstAttempt.await(15, TimeUnit.SECONDS);
    }

    @PreDestroy
    void resign() throws InterruptedException {
        shutdown.countDown();
        holder.join(TimeUnit.SECONDS.toMillis(10));
    }

    /** Whether this member runs the singletons now: it holds the lock and sees a quorum of members. */
    public boolean isLeader() {
        return lockHeld && quorate();
    }

    /** The members this member must see to lead. */
    public int quorum() {
        return quorum;
    }

    /** The members this member sees now. */
    public int members() {
        try {
            return hazelcast.getCluster().getMembers().size();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    boolean quorate() {
        try {
            return hazelcast.getCluster().getMembers().size() >= quorum;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void onExchangeBegin(Route route, Exchange exchange) {
        if (!isLeader()) {
            log.debug("route {}: this member does not lead the singletons (lock held: {}, quorum {}); the exchange ends here",
                    exchange.getFromRouteId(), lockHeld, quorum);
            exchange.setRouteStop(true);
        }
    }

    private void holdLeadership() {
        IMap<String, String> locks = hazelcast.getMap(LOCK_MAP);
        String member = hazelcast.getCluster().getLocalMember().getUuid().toString();
        while (shutdown.getCount() > 0) {
            try {
                releaseLeftovers(locks);
                if (!quorate()) {
                    firstAttempt.countDown();
                    log.debug("singletons' leadership: fewer members than the quorum of {} are visible; not contending", quorum);
                    if (awaitShutdown()) {
                        break;
                    }
                    continue;
                }
                boolean locked = locks.tryLock(LOCK_KEY, 10, TimeUnit.SECONDS);
                firstAttempt.countDown();
                if (locked) {
                    holds++;
                    locks.put(LOCK_KEY, member);
                    lockHeld = true;
                    log.info("singletons' leadership taken by this member ({})", member);
                    keepWhileQuorate(locks, member);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                firstAttempt.countDown();
                lockHeld = false;
                if (quorate()) {
                    log.warn("singletons' leadership: the cluster lock is unavailable, trying again: {}", e.getClass().getSimpleName());
                } else {
                    log.debug("singletons' leadership: below the quorum the lock map refuses: {}", e.getClass().getSimpleName());
                }
                if (awaitShutdown()) {
                    break;
                }
            } finally {
                lockHeld = false;
            }
        }
        try {
            releaseLeftovers(hazelcast.getMap(LOCK_MAP));
        } catch (RuntimeException e) {
            log.debug("singletons' leadership: unlock at shutdown failed: {}", e.getClass().getSimpleName());
        }
    }

    /**
     * Unlocks what this thread still holds. The lock is reentrant: an unlock refused below the quorum
     * (the split-brain protection refuses the minority every operation) must be repeated before the
     * next attempt, or a later resignation would leave the lock held. A lock this member no longer
     * owns (lost in a merge) is forgotten.
     */
    private void releaseLeftovers(IMap<String, String> locks) {
        while (holds > 0) {
            try {
                locks.unlock(LOCK_KEY);
                holds--;
            } catch (IllegalMonitorStateException e) {
                holds = 0;
            }
        }
    }

    /**
     * Returns when this member must stop leading: at shutdown, when it sees fewer members than the
     * quorum, or when the lock map names another member (a healed split brain merged this member's
     * data away).
     */
    private void keepWhileQuorate(IMap<String, String> locks, String member) throws InterruptedException {
        while (!shutdown.await(500, TimeUnit.MILLISECONDS)) {
            if (!quorate()) {
                log.warn("singletons' leadership given up: this member sees {} members, fewer than the quorum of {}",
                        hazelcast.getCluster().getMembers().size(), quorum);
                return;
            }
            String named = locks.get(LOCK_KEY);
            if (named != null && !named.equals(member)) {
                log.warn("singletons' leadership given up: the cluster names another leader");
                return;
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
