package io.consenthub.links;

import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fixed-window request counters by key, for the budgets {@link LinkRateRules} names, so nobody can
 * guess tokens or flood one contact's mailbox with confirmation mail. Counted per node.
 */
@Component
class RateLimits {

    private record Window(long slot, AtomicInteger count) {
    }

    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final Clock clock;

    RateLimits(Clock clock) {
        this.clock = clock;
    }

    boolean allow(String key, int limit, java.time.Duration window) {
        long slot = clock.millis() / window.toMillis();
        if (windows.size() > 100_000) {
            windows.entrySet().removeIf(e -> e.getValue().slot() < slot - 60);
        }
        Window current = windows.compute(key + "@" + window.toMillis(),
                (k, w) -> w == null || w.slot() != slot ? new Window(slot, new AtomicInteger()) : w);
        return current.count().incrementAndGet() <= limit;
    }
}
