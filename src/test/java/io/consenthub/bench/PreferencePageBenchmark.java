package io.consenthub.bench;

import io.consenthub.contact.Attributes;
import io.consenthub.contact.ContactDirectory;
import io.consenthub.contact.ContactId;
import io.consenthub.contact.EmailAddress;
import io.consenthub.links.LinkTokens;
import io.consenthub.links.TokenPurpose;
import io.consenthub.support.HubTest;
import io.consenthub.support.PostgresTestDatabase;
import io.consenthub.support.RequiresPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

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
import java.util.concurrent.locks.LockSupport;

/**
 * Benchmark, not a test (run only by {@code mvn -Pbench test}): the preference page under a fixed
 * offered rate on loopback, against the actuator health endpoint at the same rate
 * in the same run. Reports achieved throughput and latency percentiles of both, and their ratio.
 */
@ExtendWith(RequiresPostgres.class)
@HubTest
@TestPropertySource(properties = {"consent-hub.preferences.requests-per-minute-per-contact=100000000",
        "consent-hub.preferences.requests-per-minute-per-ip=100000000"})
class PreferencePageBenchmark {

    private static final int RATE = 500;
    private static final Duration WARMUP = Duration.ofSeconds(5);
    private static final Duration MEASURE = Duration.ofSeconds(15);
    private static final int CONTACTS = 200;
    private static final int WORKERS = 32;

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> PostgresTestDatabase.freshSchema("consent_hub_bench_page"));
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "");
        registry.add("spring.flyway.default-schema", () -> PostgresTestDatabase.schema("consent_hub_bench_page"));
    }

    @LocalServerPort
    int port;
    @Autowired
    ContactDirectory contacts;
    @Autowired
    LinkTokens tokens;
    @Autowired
    TransactionTemplate tx;

    private record Result(double throughput, double p50, double p99, long errors) {
    }

    @Test
    void preferencePageAgainstHealthEndpointAtAFixedRate() throws Exception {
        List<URI> pages = new ArrayList<>();
        for (int i = 0; i < CONTACTS; i++) {
            int n = i;
            ContactId id = tx.execute(s -> contacts.create(new EmailAddress("page-bench-" + n + "@example.org"),
                    new Attributes(Map.of("region", "EU", "firstName", "P" + n, "nationalId", "19800101-" + (1000 + n))), List.of()).id());
            pages.add(URI.create("http://127.0.0.1:" + port + "/p/" + tokens.issue(TokenPurpose.PREFERENCES, id, "bench", Duration.ofDays(1)).token()));
        }
        List<URI> health = List.of(URI.create("http://127.0.0.1:" + port + "/actuator/health"));
        var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        load(http, health, WARMUP);
        load(http, pages, WARMUP);
        Result healthResult = load(http, health, MEASURE);
        Result pageResult = load(http, pages, MEASURE);
        String report = """
                preference page vs actuator health, fixed offered rate %d req/s for %d s each, 32 connections (PostgreSQL store, loopback)
                  health: %.0f req/s achieved, p50 %.1f ms, p99 %.1f ms, %d errors
                  page:   %.0f req/s achieved, p50 %.1f ms, p99 %.1f ms, %d errors
                  ratio page/health: throughput %.2f, p99 %.1fx
                  machine: %s
                """.formatted(RATE, MEASURE.toSeconds(), healthResult.throughput(), healthResult.p50(), healthResult.p99(),
                healthResult.errors(), pageResult.throughput(), pageResult.p50(), pageResult.p99(), pageResult.errors(),
                pageResult.throughput() / healthResult.throughput(), pageResult.p99() / healthResult.p99(), Machine.describe());
        System.out.println(report);
        Path out = Path.of("target", "bench", "preference-page.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
    }

    /**
     * Offers requests at a fixed rate from a bounded set of workers (at most {@link #WORKERS}
     * connections, like a real load balancer's pool). Latency is measured from each request's
     * scheduled time, so a server that falls behind is charged for the queueing it causes.
     */
    private Result load(HttpClient http, List<URI> targets, Duration duration) throws InterruptedException {
        long intervalNanos = 1_000_000_000L / RATE;
        int total = (int) (duration.toSeconds() * RATE);
        long[] latencies = new long[total];
        long start = System.nanoTime() + 50_000_000L;
        Thread[] workers = new Thread[WORKERS];
        for (int w = 0; w < WORKERS; w++) {
            int first = w;
            workers[w] = new Thread(() -> {
                for (int i = first; i < total; i += WORKERS) {
                    long due = start + i * intervalNanos;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    try {
                        var response = http.send(HttpRequest.newBuilder(targets.get(i % targets.size())).build(),
                                HttpResponse.BodyHandlers.discarding());
                        latencies[i] = response.statusCode() == 200 ? System.nanoTime() - due : -1;
                    } catch (Exception e) {
                        latencies[i] = -1;
                    }
                }
            });
            workers[w].start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long errors = java.util.Arrays.stream(latencies).filter(l -> l < 0).count();
        long[] ok = java.util.Arrays.stream(latencies).filter(l -> l >= 0).sorted().toArray();
        return new Result(ok.length / elapsed, ok[ok.length / 2] / 1e6, ok[(int) (ok.length * 0.99)] / 1e6, errors);
    }
}
