package io.consenthub.crm.jdbc;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * The two stages of one poll: the route's thread reads and maps batch n+1 while an applier thread
 * applies batch n, so the Java work of reading, mapping and hashing rows overlaps the store's work
 * on the batch before (on two cores, or a store on another host, they no longer take turns).
 * Batches are applied one at a time and in the order they were handed over; at most one is in
 * flight, so a poll holds at most two batches in memory. A batch that failed is reported when the
 * next one is handed over (which is then not applied) or when the poll waits for the last one.
 * Not thread-safe: one poll's route thread hands batches over.
 */
final class BatchPipeline {

    private final Executor applier;
    private CompletableFuture<Void> inFlight = CompletableFuture.completedFuture(null);

    BatchPipeline(Executor applier) {
        this.applier = applier;
    }

    /** Waits for the batch in flight, then starts applying this one; throws the earlier batch's failure instead. */
    void hand(Runnable apply) {
        awaitInFlight();
        inFlight = CompletableFuture.runAsync(apply, applier);
    }

    /** Waits until the batch in flight is applied; its failure is thrown here, as it was thrown. */
    void awaitInFlight() {
        try {
            inFlight.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /**
     * Waits until the batch in flight is done, whatever its outcome: a poll that failed on its own
     * thread must not end (and let the next poll start) while its last batch is still being applied.
     */
    void awaitQuietly() {
        inFlight.handle((done, failure) -> null).join();
    }
}
