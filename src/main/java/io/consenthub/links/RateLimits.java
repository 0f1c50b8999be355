package io.consenthub.links;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import com.hazelcast.map.IMap;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Fixed-window request counters by key, for the budgets {@link LinkRateRules} names, so nobody can
 * guess tokens or flood one contact's mailbox with confirmation mail. Counted cluster-wide: each
 * window's counter is an entry of the Hazelcast map {@value #MAP}, incremented by an entry
 * processor on the member that owns the key (atomic, one call per request), and expiring two
 * windows after its own began, so a balancer spreading a client over the nodes gives it no more
 * than one budget. The counters are not state worth keeping: a lost one only resets a window.
 */
@Component
class RateLimits {

    static final String MAP = "consent-hub-rate-limits";

    private final IMap<String, Integer> counters;
    private final Clock clock;

    RateLimits(HazelcastInstance hazelcast, Clock clock) {
        this.counters = hazelcast.getMap(MAP);
        this.clock = clock;
    }

    boolean allow(String key, int limit, Duration window) {
        long slot = clock.millis() / window.toMillis();
        int count = counters.executeOnKey(key + "@" + window.toMillis() + "#" + slot, new Increment(2 * window.toMillis()));
        return count <= limit;
    }

    /** Adds one to a window's counter; a new counter expires after {@code ttlMillis}. */
    record Increment(long ttlMillis) implements EntryProcessor<String, Integer, Integer> {

        @Override
        public Integer process(Map.Entry<String, Integer> entry) {
            Integer current = entry.getValue();
            if (current == null) {
                ((ExtendedMapEntry<String, Integer>) entry).setValue(1, ttlMillis, TimeUnit.MILLISECONDS);
                return 1;
            }
            ((ExtendedMapEntry<String, Integer>) entry).setValueWithoutChangingExpiryTime(current + 1);
            return current + 1;
        }
    }
}
