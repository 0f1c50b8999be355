package io.consenthub.crm.salesforce;

import io.consenthub.cluster.LeaderOnlyRoutePolicy;
import io.consenthub.crm.CrmSettings;
import io.consenthub.crm.FailureText;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.component.salesforce.internal.streaming.ReplayExtension;
import org.apache.camel.component.salesforce.internal.streaming.SubscriptionHelper;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs each streaming connector's change stream (route template {@code salesforce-crm-changes},
 * route {@code <connector id>-changes}) on the cluster's leader only, and keeps it running.
 *
 * <p>The route does not start with the hub: camel-salesforce's streaming consumer logs in and
 * handshakes when it starts, and a failure there would stop the hub from starting — an org that is
 * down or a wrong secret must not. Instead, every {@link #CHECK_EVERY} this supervisor starts the
 * stream on the member that leads and stops it on any other; a start that fails is recorded
 * (status, log) and tried again after a backoff that doubles up to {@link #MAX_BACKOFF}. Each start
 * subscribes from the replay id of the last applied event ({@code sf_stream_state}), so the events
 * of a restart or a change of leader are replayed (Salesforce keeps them for three days; older, the
 * stream starts with new events), and is followed by one poll, which reads whatever changed that
 * the stream did not replay.
 */
@Component
class SalesforceStreams implements CamelContextConfiguration, DisposableBean {

    static final String TEMPLATE = "salesforce-crm-changes";
    static final Duration CHECK_EVERY = Duration.ofSeconds(2);
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(5);
    static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
    /**
     * Salesforce keeps change events for 72 hours; a replay id received longer ago than this (with
     * a margin for clocks) is not sent: Salesforce would refuse it, and camel-salesforce's fallback
     * after a refusal can leave the subscription dead (it subscribes the same listener twice and the
     * refusal takes only one away). The stream then starts with new events; the poll reads the rest.
     */
    static final Duration REPLAY_RETENTION = Duration.ofHours(71);
    private static final Logger log = LoggerFactory.getLogger(SalesforceStreams.class);

    private final CrmSettings settings;
    private final SalesforceClient client;
    private final SalesforceStreamState state;
    private final LeaderOnlyRoutePolicy leadership;
    private final Clock clock;
    private final SalesforceCrmSync sync;
    private final SalesforceChanges changes;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final Map<String, Backoff> backoffs = new ConcurrentHashMap<>();
    private volatile ScheduledExecutorService scheduler;
    private volatile CamelContext camel;

    /** Failed starts in a row and when the next may be tried. */
    private record Backoff(int failures, Instant next) {
    }

    SalesforceStreams(CrmSettings settings, SalesforceClient client, SalesforceStreamState state,
                      LeaderOnlyRoutePolicy leadership, Clock clock, SalesforceCrmSync sync, SalesforceChanges changes) {
        this.sync = sync;
        this.changes = changes;
        this.settings = settings;
        this.client = client;
        this.state = state;
        this.leadership = leadership;
        this.clock = clock;
    }

    static String routeId(String connectorId) {
        return connectorId + "-changes";
    }

    /** The enabled Salesforce connectors that stream. */
    List<String> streaming() {
        return settings.connectors().entrySet().stream()
                .filter(e -> "salesforce".equals(e.getValue().kind()) && e.getValue().enabled() && e.getValue().salesforce() != null
                        && e.getValue().salesforce().streaming().enabled())
                .map(Map.Entry::getKey).toList();
    }

    /** Whether the connector's stream is subscribed on this member now. */
    boolean running(String connectorId) {
        CamelContext context = camel;
        ServiceStatus status = context == null ? null : context.getRouteController().getRouteStatus(routeId(connectorId));
        return status != null && status.isStarted();
    }

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        // the route template is loaded with the route files; the streams are added once Camel runs
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        List<String> connectors = streaming();
        if (connectors.isEmpty()) {
            return;
        }
        this.camel = camelContext;
        var threads = new java.util.concurrent.atomic.AtomicInteger();
        scheduler = Executors.newScheduledThreadPool(connectors.size(), runnable -> {
            Thread thread = new Thread(runnable, "salesforce-streams-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        for (String connectorId : connectors) {
            CrmSettings.Salesforce org = settings.connectors().get(connectorId).salesforce();
            String channel = org.streaming().channel();
            try {
                Map<String, Long> stored = state.replayId(connectorId, channel).map(id -> Map.of(channel, id)).orElse(Map.of());
                String component = client.streamComponent(connectorId, org, stored);
                TemplatedRouteBuilder.builder(camelContext, TEMPLATE)
                        .routeId(routeId(connectorId))
                        .parameter("connectorId", connectorId)
                        .parameter("component", component)
                        .parameter("channel", channel)
                        .add();
                scheduler.scheduleWithFixedDelay(() -> supervise(connectorId), 0, CHECK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RuntimeException e) {
                // One connector's stream that cannot even be created leaves the others (and its polls) running.
                log.error("Salesforce {}: the change stream could not be created from route template {}: {}", connectorId, TEMPLATE,
                        FailureText.of(e));
                state.failed(connectorId, channel, "the change stream could not be created: " + FailureText.of(e), clock.instant());
            }
        }
    }

    @Override
    public void destroy() {
        ScheduledExecutorService running = scheduler;
        if (running != null) {
            running.shutdownNow();
        }
    }

    /** Starts the stream on the leader (after any backoff), stops it anywhere else. */
    void supervise(String connectorId) {
        CamelContext context = camel;
        if (context == null || !context.isStarted() || context.isStopping()) {
            return;
        }
        synchronized (lock(connectorId)) {
            superviseLocked(context, connectorId);
        }
    }

    private Object lock(String connectorId) {
        return locks.computeIfAbsent(connectorId, id -> new Object());
    }

    private void superviseLocked(CamelContext context, String connectorId) {
        try {
            boolean leading = leadership.isLeader();
            boolean running = running(connectorId);
            if (leading && !running) {
                Backoff backoff = backoffs.get(connectorId);
                if (backoff == null || !clock.instant().isBefore(backoff.next())) {
                    start(context, connectorId);
                }
            } else if (!leading && running) {
                stop(connectorId);
                log.info("Salesforce {}: change stream stopped, this member no longer leads", connectorId);
            }
        } catch (Exception e) {
            log.warn("Salesforce {}: supervising the change stream failed: {}", connectorId, FailureText.of(e));
        }
    }

    /**
     * Stops the stream and disconnects from the org: the route's consumer only unsubscribes, but
     * camel-salesforce's CometD client would stay connected (and, seen against the stand-in, not
     * subscribe again on the next start), so its subscription helper is stopped too; the next
     * start handshakes afresh and subscribes from the stored replay id.
     */
    void stop(String connectorId) throws Exception {
        synchronized (lock(connectorId)) {
            CamelContext context = camel;
            context.getRouteController().stopRoute(routeId(connectorId));
            stopSubscriptionHelper(context, connectorId);
            state.unsubscribed(connectorId, channel(connectorId));
        }
    }

    private static void stopSubscriptionHelper(CamelContext context, String connectorId) throws Exception {
        if (context.getComponent("sf-stream-" + connectorId) instanceof SalesforceComponent component) {
            org.apache.camel.support.service.ServiceHelper.stopService(component.getSubscriptionHelper());
        }
    }

    private void start(CamelContext context, String connectorId) throws Exception {
        String channel = channel(connectorId);
        var known = state.of(connectorId, channel);
        boolean kept = known.map(SalesforceStreamState.StreamState::lastEventAt)
                .filter(at -> at.isAfter(clock.instant().minus(REPLAY_RETENTION))).isPresent();
        long replayId = kept ? known.map(SalesforceStreamState.StreamState::replayId).orElse(-1L) : -1L;
        if (!kept && known.map(SalesforceStreamState.StreamState::replayId).isPresent()) {
            log.warn("Salesforce {}: the last event applied is older than Salesforce keeps events; the stream starts with"
                    + " new events and the poll after subscribing reads what changed meanwhile", connectorId);
        }
        resumeAt(channel, replayId);
        changes.subscribing(connectorId);
        try {
            if (context.getComponent("sf-stream-" + connectorId) instanceof SalesforceComponent component) {
                if (component.getLoginConfig() == null) {
                    org.apache.camel.support.service.ServiceHelper.startService(component);
                }
                // created with lazy login (creating it must not log in); the stream's start logs in
                component.getLoginConfig().setLazyLogin(false);
            }
            context.getRouteController().startRoute(routeId(connectorId));
            backoffs.remove(connectorId);
            state.subscribed(connectorId, channel, clock.instant());
            log.info("Salesforce {}: change stream subscribed to {} from replay id {}", connectorId, channel, replayId);
            // Whatever the stream could not replay (events older than Salesforce keeps, the seconds
            // of a change of leader) changed SystemModstamp: one poll right after subscribing reads it
            // (unless a poll is running already — an initial sync must not hold the supervisor up —
            // then the next scheduled poll does).
            try {
                sync.pollIfIdle(connectorId);
            } catch (RuntimeException e) {
                log.warn("Salesforce {}: the poll after subscribing failed: {}", connectorId, FailureText.of(e));
            }
        } catch (Exception e) {
            Backoff before = backoffs.get(connectorId);
            int failures = before == null ? 1 : before.failures() + 1;
            Duration wait = FIRST_BACKOFF.multipliedBy(1L << Math.min(failures - 1, 10));
            wait = wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
            backoffs.put(connectorId, new Backoff(failures, clock.instant().plus(wait)));
            String error = "subscribing failed: " + SalesforceClient.failure("subscribe", e, null).getMessage();
            state.failed(connectorId, channel, error, clock.instant());
            log.warn("Salesforce {}: change stream {}; polls go on, next try in {} s", connectorId, error, wait.toSeconds());
            try {
                context.getRouteController().stopRoute(routeId(connectorId));
                stopSubscriptionHelper(context, connectorId);
            } catch (Exception stop) {
                log.debug("Salesforce {}: stopping the failed change stream: {}", connectorId, FailureText.of(stop));
            }
        }
    }

    private String channel(String connectorId) {
        return settings.connectors().get(connectorId).salesforce().streaming().channel();
    }

    /**
     * Makes the next subscription to {@code channel} start after {@code replayId}. camel-salesforce
     * keeps replay ids in one map per JVM and takes an endpoint's configured one only if that map
     * has none yet, so after a change of leader (or a second hub context in one JVM) it would resume
     * from what this JVM last saw rather than from the last event the hub applied. The map is
     * internal to camel-salesforce; if a later version moves it, the configured replay id of the
     * first subscription is used and this says so.
     */
    static void resumeAt(String channel, long replayId) {
        try {
            var field = SubscriptionHelper.class.getDeclaredField("REPLAY_EXTENSION");
            field.setAccessible(true);
            ((ReplayExtension) field.get(null)).setReplayId(channel, replayId);
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn("Salesforce change stream: camel-salesforce's replay ids could not be set ({}); a re-subscription in this"
                    + " process resumes from the last event it received", e.getClass().getSimpleName());
        }
    }
}
