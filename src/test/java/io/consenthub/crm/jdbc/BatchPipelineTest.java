package io.consenthub.crm.jdbc;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BatchPipelineTest {

    private final ExecutorService appliers = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        appliers.shutdownNow();
    }

    @Test
    void appliesBatchesOneAtATimeInTheOrderTheyWereHandedOver() {
        var pipeline = new BatchPipeline(appliers);
        var applied = new CopyOnWriteArrayList<Integer>();
        var running = new AtomicInteger();
        var mostAtOnce = new AtomicInteger();
        for (int i = 0; i < 50; i++) {
            int batch = i;
            pipeline.hand(() -> {
                mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                applied.add(batch);
                running.decrementAndGet();
            });
        }
        pipeline.awaitInFlight();
        assertThat(applied).containsExactlyElementsOf(java.util.stream.IntStream.range(0, 50).boxed().toList());
        assertThat(mostAtOnce).hasValue(1);
    }

    @Test
    void theNextBatchIsMappedWhileTheBatchBeforeItIsApplied() throws Exception {
        var pipeline = new BatchPipeline(appliers);
        var applying = new CountDownLatch(1);
        var mayFinish = new CountDownLatch(1);
        pipeline.hand(() -> {
            applying.countDown();
            await(mayFinish);
        });
        // hand returned while the batch is still being applied: the route's thread is free to map the next one
        assertThat(applying.await(10, TimeUnit.SECONDS)).isTrue();
        mayFinish.countDown();
        pipeline.awaitInFlight();
    }

    @Test
    void aFailedBatchFailsTheNextHandOverAndThatBatchIsNotApplied() {
        var pipeline = new BatchPipeline(appliers);
        var applied = new CopyOnWriteArrayList<String>();
        pipeline.hand(() -> {
            throw new IllegalStateException("the store refused batch 1");
        });
        assertThatThrownBy(() -> pipeline.hand(() -> applied.add("batch 2")))
                .isInstanceOf(IllegalStateException.class).hasMessage("the store refused batch 1");
        assertThat(applied).isEmpty();
        assertThatThrownBy(pipeline::awaitInFlight).hasMessage("the store refused batch 1");
    }

    @Test
    void waitingQuietlyWaitsForTheBatchInFlightWhateverItsOutcome() throws Exception {
        var pipeline = new BatchPipeline(appliers);
        var mayFinish = new CountDownLatch(1);
        var done = new CopyOnWriteArrayList<String>();
        pipeline.hand(() -> {
            await(mayFinish);
            done.add("applied");
            throw new IllegalStateException("failed after applying");
        });
        var waiter = appliers.submit(pipeline::awaitQuietly);
        assertThat(waiter.isDone()).isFalse();
        mayFinish.countDown();
        waiter.get(10, TimeUnit.SECONDS);
        assertThat(done).isEqualTo(List.of("applied"));
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the batch");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
