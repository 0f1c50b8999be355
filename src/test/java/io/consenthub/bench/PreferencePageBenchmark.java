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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

/**
 * Benchmark, not a test (run only by {@code mvn -Pbench test}): the preference page under an
 * open-loop load of a fixed rate on loopback, against the actuator health endpoint at the same rate
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
                preference page vs actuator health, open loop at %d req/s for %d s each (PostgreSQL store, loopback)
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

    private Result load(HttpClient http, List<URI> targets, Duration duration) {
        long intervalNanos = 1_000_000_000L / RATE;
        long total = duration.toSeconds() * RATE;
        var futures = new ArrayList<CompletableFuture<Long>>();
        long start = System.nanoTime();
        for (long i = 0; i < total; i++) {
            long due = start + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            URI target = targets.get((int) (i % targets.size()));
            futures.add(http.sendAsync(HttpRequest.newBuilder(target).build(), HttpResponse.BodyHandlers.discarding())
                    .thenApply(r -> r.statusCode() == 200 ? System.nanoTime() - due : -1L)
                    .exceptionally(e -> -1L));
        }
        long[] latencies = futures.stream().mapToLong(CompletableFuture::join).toArray();
        double elapsed = (System.nanoTime() - start) / 1e9;
        long errors = java.util.Arrays.stream(latencies).filter(l -> l < 0).count();
        long[] ok = java.util.Arrays.stream(latencies).filter(l -> l >= 0).sorted().toArray();
        return new Result(ok.length / elapsed, ok[ok.length / 2] / 1e6, ok[(int) (ok.length * 0.99)] / 1e6, errors);
    }
}
