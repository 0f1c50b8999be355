package io.consenthub.cluster;

import io.consenthub.ConsentHubApplication;
import io.consenthub.support.HubTest;
import io.consenthub.support.PostgresTestDatabase;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Several whole hubs in this JVM, each with its own web server and Hazelcast member, joined into one
 * Hazelcast cluster on loopback and sharing one PostgreSQL schema: as many nodes behind a balancer,
 * cheaper to start than processes. Each hub gets {@link HubTest}'s properties plus the given ones.
 */
final class HubsInOneJvm implements AutoCloseable {

    private final List<ConfigurableApplicationContext> hubs = new ArrayList<>();
    private final Path hazelcastConfig;
    private final String url;
    private final String schema;
    private final Map<String, String> extra;

    /** A cluster of up to {@code size} members on ports {@code firstPort} onwards, in the PostgreSQL schema for {@code name}. */
    HubsInOneJvm(String name, int firstPort, int size, Map<String, String> extra) throws IOException {
        this.url = PostgresTestDatabase.freshSchema(name);
        this.schema = PostgresTestDatabase.schema(name);
        this.extra = extra;
        String members = IntStream.range(firstPort, firstPort + size).mapToObj(p -> "          - 127.0.0.1:" + p)
                .collect(Collectors.joining("\n"));
        hazelcastConfig = Path.of("target", "cluster-test", name + ".yaml").toAbsolutePath();
        Files.createDirectories(hazelcastConfig.getParent());
        Files.writeString(hazelcastConfig, """
                hazelcast:
                  cluster-name: %s
                  properties:
                    hazelcast.phone.home.enabled: false
                    hazelcast.logging.type: slf4j
                    hazelcast.map.invalidation.batch.enabled: false
                    hazelcast.socket.bind.any: false
                  network:
                    port:
                      auto-increment: true
                      port-count: %d
                      port: %d
                    interfaces:
                      enabled: true
                      interfaces:
                        - 127.0.0.1
                    join:
                      auto-detection:
                        enabled: false
                      multicast:
                        enabled: false
                      tcp-ip:
                        enabled: true
                        member-list:
                %s
                """.formatted(name + "-" + UUID.randomUUID(), size, firstPort, members));
    }

    /** Starts one more hub and returns its HTTP port. */
    int start() {
        var properties = new LinkedHashMap<String, Object>();
        for (String pair : HubTest.class.getAnnotation(SpringBootTest.class).properties()) {
            int eq = pair.indexOf('=');
            properties.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        properties.put("server.port", "0");
        properties.put("spring.datasource.url", url);
        properties.put("spring.datasource.username", "postgres");
        properties.put("spring.datasource.password", "");
        properties.put("spring.datasource.hikari.maximum-pool-size", "6");
        properties.put("spring.flyway.default-schema", schema);
        properties.put("spring.hazelcast.config", "file:" + hazelcastConfig);
        properties.putAll(extra);
        // as arguments: SpringApplicationBuilder.properties() would rank below config/application.yaml
        String[] arguments = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        var hub = new SpringApplicationBuilder(ConsentHubApplication.class).run(arguments);
        hubs.add(hub);
        return port(hubs.size() - 1);
    }

    int port(int index) {
        return ((WebServerApplicationContext) hubs.get(index)).getWebServer().getPort();
    }

    <T> T bean(int index, Class<T> type) {
        return hubs.get(index).getBean(type);
    }

    @Override
    public void close() {
        for (int i = hubs.size() - 1; i >= 0; i--) {
            hubs.get(i).close();
        }
    }
}
