package io.consenthub.cluster;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every route in {@code routes/} that starts by itself on every node — a timer, scheduler, quartz,
 * mail, file or SQL consumer — is leader-only ({@code routePolicy: leaderOnly}, or for a polling
 * consumer {@code pollStrategy: "#leaderOnlyPolls"}), unless it is on {@link #LEASED_PER_MESSAGE}:
 * work that every node may do because the outbox leases each message to one node, or it does not
 * start by itself and code starts it on the leader only ({@link #STARTED_ON_THE_LEADER_BY}). Routes
 * started by another route or by a request ({@code direct:}, {@code seda:}, REST) are not singletons.
 */
class SingletonRoutesAreLeaderOnlyTest {

    /** Routes every member runs, with the reason that is safe. */
    static final Map<String, String> LEASED_PER_MESSAGE = Map.of(
            "email-outbox-poller", "claims outbox rows under a lease; only the current claim records the outcome",
            "crm-write-back-poller", "claims outbox rows under a lease; only the current claim records the outcome",
            "partner-outbox-poller", "claims outbox rows under a lease; only the current claim records the outcome",
            "consent-events-dispatch", "claims outbox rows under a lease; consumers tell a repeat by its eventId");
    private static final Set<String> TRIGGERED = Set.of("direct", "seda", "vm", "rest", "platform-http");
    /**
     * Routes that never start by themselves ({@code autoStartup: false}) but are started on the
     * leader only, and stopped elsewhere, by the code named — with the reason a route policy is not used.
     */
    static final Map<String, String> STARTED_ON_THE_LEADER_BY = Map.of(
            "salesforce-crm-changes", "SalesforceStreams: the leaderOnly policy would drop events on a member about to stop"
                    + " the stream after camel-salesforce counted them received");

    @Test
    void everyRouteThatStartsByItselfIsLeaderOnlyOrLeasedPerMessage() throws IOException {
        var found = new ArrayList<Singleton>();
        try (Stream<Path> files = Files.walk(Path.of("routes"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".camel.yaml")).sorted().toList()) {
                found.addAll(singletons(file.toString(), Files.readString(file)));
            }
        }
        assertThat(found.stream().filter(s -> !s.leaderOnly() && !LEASED_PER_MESSAGE.containsKey(s.id())).map(Singleton::where))
                .as("routes that start by themselves on every node, neither leader-only nor leased per message").isEmpty();
        assertThat(found.stream().filter(s -> s.leaderOnly() && LEASED_PER_MESSAGE.containsKey(s.id())).map(Singleton::where))
                .as("leased routes needlessly restricted to the leader").isEmpty();
        assertThat(found).as("the singletons found").extracting(Singleton::id)
                .contains("preference-notices", "inbound-email", "jdbc-crm-sync", "salesforce-crm-sync", "jdbc-crm-reconcile",
                        "key-rotation", "ledger-verification", "ledger-checkpoint", "erasure-jobs", "retention")
                .containsAll(LEASED_PER_MESSAGE.keySet());
        assertThat(found).filteredOn(s -> s.id().equals("inbound-email")).singleElement()
                .extracting(Singleton::leaderOnly).isEqualTo(true);
    }

    @Test
    void aTimerOrMailRouteWithoutTheLeadershipIsFound() {
        String yaml = """
                - route:
                    id: walks-every-contact
                    from:
                      uri: timer:walk
                      steps:
                        - bean:
                            ref: something
                - route:
                    id: reads-a-mailbox
                    routePolicy: someOtherPolicy
                    from:
                      uri: "imaps://mail.example"
                      parameters:
                        pollStrategy: "#anotherStrategy"
                - routeTemplate:
                    id: polls-a-crm
                    route:
                      from:
                        uri: "scheduler:{{connectorId}}"
                - route:
                    id: answers-a-request
                    from:
                      uri: direct:answer
                - route:
                    id: leads
                    routePolicy: leaderOnly
                    from:
                      uri: timer:lead
                """;
        var found = singletons("inline.camel.yaml", yaml);

        assertThat(found).filteredOn(s -> !s.leaderOnly()).extracting(Singleton::id)
                .containsExactly("walks-every-contact", "reads-a-mailbox", "polls-a-crm");
        assertThat(found).filteredOn(Singleton::leaderOnly).extracting(Singleton::id).containsExactly("leads");
    }

    record Singleton(String id, String where, boolean leaderOnly) {
    }

    private static List<Singleton> singletons(String file, String yaml) {
        var found = new ArrayList<Singleton>();
        if (!(new Yaml().load(yaml) instanceof List<?> items)) {
            return found;
        }
        for (Object item : items) {
            if (!(item instanceof Map<?, ?> map)) {
                continue;
            }
            Object route = map.get("route");
            Object id = route instanceof Map<?, ?> r ? r.get("id") : null;
            if (map.get("routeTemplate") instanceof Map<?, ?> template) {
                route = template.get("route");
                id = template.get("id");
            }
            if (route instanceof Map<?, ?> r && r.get("from") instanceof Map<?, ?> from) {
                String uri = String.valueOf(from.get("uri"));
                String scheme = uri.contains(":") ? uri.substring(0, uri.indexOf(':')).toLowerCase() : uri;
                if (TRIGGERED.contains(scheme)) {
                    continue;
                }
                boolean byPolicy = String.valueOf(r.get("routePolicy")).matches("(.*,)?\\s*leaderOnly\\s*(,.*)?");
                boolean byStrategy = from.get("parameters") instanceof Map<?, ?> parameters
                        && "#leaderOnlyPolls".equals(parameters.get("pollStrategy"));
                boolean byCode = Boolean.FALSE.equals(r.get("autoStartup")) && STARTED_ON_THE_LEADER_BY.containsKey(String.valueOf(id));
                found.add(new Singleton(String.valueOf(id), file + " route " + id + " (" + scheme + ")", byPolicy || byStrategy || byCode));
            }
        }
        return found;
    }
}
