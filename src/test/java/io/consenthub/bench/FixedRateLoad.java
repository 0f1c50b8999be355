package io.consenthub.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * A load generator meant to run in its own JVM (so it does not share the server's heap, JIT and GC):
 * offers GET requests at a fixed rate from a bounded pool of workers and prints one result line,
 * {@code achieved p50 p99 errors}, with latency measured from each request's scheduled time, so a
 * server that falls behind is charged for the queueing it causes.
 *
 * <p>Usage: {@code FixedRateLoad <rate> <warm-up seconds> <seconds> <workers> <url> [<url> ...]}: the
 * warm-up runs at the same rate first and is not counted, so neither JVM is measured cold.
 */
public final class FixedRateLoad {

    private FixedRateLoad() {
    }

    public static void main(String[] args) throws InterruptedException {
        int rate = Integer.parseInt(args[0]);
        int warmUp = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        int workers = Integer.parseInt(args[3]);
        List<URI> targets = Arrays.stream(args, 4, args.length).map(URI::create).toList();
        var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        run(http, targets, rate, warmUp, workers);
        long begin = System.nanoTime();
        long[] latencies = run(http, targets, rate, seconds, workers);
        double elapsed = (System.nanoTime() - begin) / 1e9;
        long errors = Arrays.stream(latencies).filter(l -> l < 0).count();
        long[] ok = Arrays.stream(latencies).filter(l -> l >= 0).sorted().toArray();
        System.out.printf(java.util.Locale.ROOT, "%.1f %.3f %.3f %d%n", ok.length / elapsed,
                ok.length == 0 ? 0 : ok[ok.length / 2] / 1e6, ok.length == 0 ? 0 : ok[(int) (ok.length * 0.99)] / 1e6, errors);
    }

    private static long[] run(HttpClient http, List<URI> targets, int rate, int seconds, int workers) throws InterruptedException {
        long intervalNanos = 1_000_000_000L / rate;
        int total = rate * seconds;
        long[] latencies = new long[total];
        long start = System.nanoTime() + 50_000_000L;
        Thread[] threads = new Thread[workers];
        for (int w = 0; w < workers; w++) {
            int first = w;
            threads[w] = new Thread(() -> {
                for (int i = first; i < total; i += workers) {
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
            threads[w].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return latencies;
    }
}
