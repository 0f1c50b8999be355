package io.consenthub.cluster;

import io.consenthub.ConsentHubApplication;
import io.consenthub.support.HubTest;
import io.consenthub.support.PostgresTestDatabase;
import org.springframework.boot.test.context.SpringBootTest;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;

/**
 * Hub nodes as real processes, each a JVM of its own started from this test's class path (as
 * {@code java -cp ... io.consenthub.ConsentHubApplication} with the README's profile settings):
 * one Hazelcast cluster on loopback ports {@code firstPort} onwards with the shipped quorum and
 * heartbeat settings of {@code config/hazelcast-cluster.yaml}, one PostgreSQL schema, one key
 * file. A node can be killed with SIGKILL ({@link #kill}), as a crashed host would vanish.
 */
public final class HubProcesses implements AutoCloseable {

    public record Node(int index, Process process, int port, Path log) {

        /** Whether the node leads the singletons now, by its gauge {@code consent_hub_cluster_leader}. */
        public boolean leads() {
            return gauge("consent_hub_cluster_leader") == 1;
        }

        /** The cluster members the node sees, by its gauge {@code consent_hub_cluster_members}. */
        public int members() {
            return (int) gauge("consent_hub_cluster_members");
        }

        /** A gauge from the node's /actuator/prometheus, or -1 when the node does not answer. */
        double gauge(String name) {
            if (!process.isAlive()) {
                return -1;
            }
            var answer = new io.consenthub.support.ApiClient(port).get("/actuator/prometheus", io.consenthub.support.TestKeys.ADMIN);
            if (answer.status() != 200) {
                return -1;
            }
            return answer.text().lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(-1);
        }
    }

    private final List<Node> nodes = new ArrayList<>();
    private final Path dir;
    private final Path hazelcastConfig;
    private final String url;
    private final String schema;
    private final Map<String, String> extra;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public HubProcesses(String name, int firstPort, int size, Map<String, String> extra) throws IOException {
        this.url = PostgresTestDatabase.freshSchema(name);
        this.schema = PostgresTestDatabase.schema(name);
        this.extra = extra;
        this.dir = Path.of("target", "cluster-processes", name + "-" + UUID.randomUUID()).toAbsolutePath();
        Files.createDirectories(dir);
        String shipped = Files.readString(Path.of("config", "hazelcast-cluster.yaml"));
        String members = IntStream.range(firstPort, firstPort + size).mapToObj(p -> "          - 127.0.0.1:" + p)
                .collect(Collectors.joining("\n"));
        String config = shipped
                .replace("cluster-name: consent-hub", "cluster-name: " + name + "-" + UUID.randomUUID())
                .replace("      port: 5701", "      port: " + firstPort)
                .replaceAll("(?m)^          - 127\\.0\\.0\\.1:570[0-9]\\n?", "")
                .replace("        member-list:\n", "        member-list:\n" + members + "\n");
        hazelcastConfig = dir.resolve("hazelcast.yaml");
        Files.writeString(hazelcastConfig, config);
    }

    public Path dir() {
        return dir;
    }

    /** Starts one more node (waiting until it answers HTTP) and returns it. */
    public Node start() throws IOException {
        int index = nodes.size();
        int port = freePort();
        var command = new ArrayList<String>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("-XX:TieredStopAtLevel=1");
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-") || a.startsWith("-Dhazelcast")).forEach(command::add);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ConsentHubApplication.class.getName()));
        // one value a key (a key given twice on the command line would become "first,second"); the extras win
        var properties = new java.util.LinkedHashMap<String, String>();
        for (String pair : HubTest.class.getAnnotation(SpringBootTest.class).properties()) {
            int eq = pair.indexOf('=');
            properties.put(pair.substring(0, eq), pair.substring(eq + 1)
                    .replace("${consenthub.test.smtp-port:3941}", System.getProperty("consenthub.test.smtp-port", "3941"))
                    .replace("${consenthub.test.imap-port:3942}", System.getProperty("consenthub.test.imap-port", "3942")));
        }
        properties.put("spring.profiles.active", "postgres,cluster");
        properties.put("server.port", String.valueOf(port));
        properties.put("spring.datasource.url", url);
        properties.put("spring.datasource.username", "postgres");
        properties.put("spring.datasource.password", "");
        properties.put("spring.datasource.hikari.maximum-pool-size", "6");
        properties.put("spring.flyway.default-schema", schema);
        properties.put("spring.hazelcast.config", "file:" + hazelcastConfig);
        properties.put("consent-hub.crypto.kek-file", dir.resolve("kek.json").toString());
        properties.put("consent-hub.signing.keyset-file", dir.resolve("signing-keyset.json").toString());
        properties.putAll(extra);
        properties.forEach((key, value) -> command.add("--" + key + "=" + value));
        Path log = dir.resolve("node-" + index + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        var node = new Node(index, process, port, log);
        nodes.add(node);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("node " + index + " exited: " + Files.readString(log));
            }
            // the web server answers before the Camel routes (the API among them) have started
            return Files.readString(log).contains("Started ConsentHubApplication") && answers(port);
        });
        return node;
    }

    private boolean answers(int port) {
        try {
            var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health")).timeout(Duration.ofSeconds(2)).build();
            http.send(request, HttpResponse.BodyHandlers.discarding());
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public List<Node> nodes() {
        return nodes;
    }

    public List<Node> alive() {
        return nodes.stream().filter(n -> n.process().isAlive()).toList();
    }

    /** SIGKILL: no shutdown hook runs, the member leaves no word, its lock is released only when the cluster declares it dead. */
    public void kill(Node node) throws InterruptedException {
        node.process().destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    /**
     * Imports {@code count} contacts {@code reader<i>@<domain>} as {@code SINGLE_OPT_IN_USER} and
     * subscribes each to {@code newsletter}, the answers spread over the nodes; returns their ids.
     */
    public List<String> subscribers(int count, String domain, org.springframework.jdbc.core.JdbcTemplate hub) throws Exception {
        var nodes = alive();
        var rows = new ArrayList<Map<String, Object>>();
        for (int i = 0; i < count; i++) {
            rows.add(Map.of("email", "reader" + i + "@" + domain, "optInStatus", "SINGLE_OPT_IN_USER"));
        }
        var imported = new io.consenthub.support.ApiClient(nodes.get(0).port()).post("/api/contacts/import",
                io.consenthub.support.TestKeys.USER, io.consenthub.support.ApiClient.json(Map.of("contacts", rows)));
        if (imported.status() >= 300) {
            throw new IllegalStateException("import: " + imported.status() + " " + imported.text());
        }
        List<String> ids = hub.queryForList("select id::text from contact where primary_email like ?", String.class, "%@" + domain);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            var answers = new ArrayList<java.util.concurrent.Future<Integer>>();
            for (int i = 0; i < ids.size(); i++) {
                var client = new io.consenthub.support.ApiClient(nodes.get(i % nodes.size()).port());
                String id = ids.get(i);
                answers.add(pool.submit(() -> client.post("/api/contacts/" + id + "/consents", io.consenthub.support.TestKeys.USER,
                        "{\"purpose\":\"newsletter\",\"granted\":true}").status()));
            }
            for (var answer : answers) {
                if (answer.get() >= 300) {
                    throw new IllegalStateException("a newsletter answer was refused: " + answer.get());
                }
            }
        } finally {
            pool.shutdown();
        }
        return ids;
    }

    private static int freePort() throws IOException {
        try (var probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Node node : nodes) {
            node.process().destroy();
        }
        for (Node node : nodes) {
            if (!node.process().waitFor(30, TimeUnit.SECONDS)) {
                node.process().destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}
