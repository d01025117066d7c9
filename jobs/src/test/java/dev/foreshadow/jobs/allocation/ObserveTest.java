package dev.foreshadow.jobs.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foreshadow.connectors.resources.Check;
import dev.foreshadow.connectors.resources.ManagerSettings;
import dev.foreshadow.connectors.resources.ResourceException;
import dev.foreshadow.connectors.resources.ResourceManager;
import dev.foreshadow.connectors.resources.Validation;
import dev.foreshadow.models.domain.PoolId;
import dev.foreshadow.models.lifecycle.InstanceShape;
import dev.foreshadow.models.lifecycle.PoolLimits;
import dev.foreshadow.models.lifecycle.PoolObservation;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.flink.streaming.api.functions.async.CollectionSupplier;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.junit.jupiter.api.Test;

/**
 * Observe off the operator's thread: a pool whose API hangs gives nothing more until it answers,
 * and its failure is an observation with the error, not an exception.
 */
class ObserveTest {

    private static final Instant NINE = Instant.parse("2026-11-28T09:00:00Z");
    private static final CountDownLatch ANSWER = new CountDownLatch(1);

    /** A pool whose API answers only once {@link #ANSWER} opens, then fails. */
    record Hanging() implements ManagerSettings {
        @Override
        public String kind() {
            return "hanging";
        }

        @Override
        public ResourceManager open(PoolId pool, InstanceShape shape) {
            return new ResourceManager() {
                @Override
                public InstantSource clock() {
                    return InstantSource.fixed(NINE);
                }

                @Override
                public PoolObservation observe() throws ResourceException {
                    try {
                        ANSWER.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    throw new ResourceException("HTTP 503 from the API");
                }

                @Override
                public void request(int n) {}

                @Override
                public Check readiness(String instanceId) {
                    return Check.passed("");
                }

                @Override
                public String host(String instanceId) {
                    return null;
                }

                @Override
                public void recordValidation(String instanceId, Check outcome) {}

                @Override
                public void putInService(String instanceId) {}

                @Override
                public void drain(String instanceId) {}

                @Override
                public void release(String instanceId) {}

                @Override
                public void close() {}
            };
        }
    }

    private static final class Result implements ResultFuture<ReconcilerInput> {
        final CompletableFuture<Collection<ReconcilerInput>> done = new CompletableFuture<>();

        @Override
        public void complete(Collection<ReconcilerInput> result) {
            done.complete(result);
        }

        @Override
        public void completeExceptionally(Throwable error) {
            done.completeExceptionally(error);
        }

        @Override
        public void complete(CollectionSupplier<ReconcilerInput> supplier) {
            try {
                done.complete(supplier.get());
            } catch (Exception e) {
                done.completeExceptionally(e);
            }
        }
    }

    @Test
    void aHeartbeatWhileThePoolsObservationRunsGivesNothingAndAFailureIsAnObservation()
            throws Exception {
        AllocationSettings.Pool pool =
                new AllocationSettings.Pool(
                        new PoolId("slow"),
                        new PoolLimits(
                                0,
                                1,
                                Duration.ZERO,
                                Duration.ZERO,
                                Duration.ofSeconds(1),
                                Duration.ofSeconds(1),
                                Duration.ZERO),
                        new InstanceShape(1, 1, 0),
                        List.of(),
                        new Hanging(),
                        new Validation(null, Duration.ofSeconds(1), 1, Duration.ZERO));
        Observe observe = new Observe(Map.of("slow", pool));
        observe.open(null);
        try {
            Result first = new Result();
            Result second = new Result();
            observe.asyncInvoke(new Tick("slow", 0), first);
            observe.asyncInvoke(new Tick("slow", 1), second);

            assertThat(second.done.get(5, TimeUnit.SECONDS)).as("skipped").isEmpty();
            assertThat(first.done).isNotDone();
            ANSWER.countDown();
            assertThat(first.done.get(5, TimeUnit.SECONDS))
                    .singleElement()
                    .satisfies(
                            r -> {
                                assertThat(r.observation().error())
                                        .isEqualTo("HTTP 503 from the API");
                                assertThat(r.observation().at()).isEqualTo(NINE);
                                assertThat(Observe.failed(List.of(r))).as("worth a retry").isTrue();
                            });
        } finally {
            observe.close();
        }
    }
}
