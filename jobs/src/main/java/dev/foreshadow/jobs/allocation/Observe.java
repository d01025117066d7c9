package dev.foreshadow.jobs.allocation;

import dev.foreshadow.connectors.resources.ResourceManager;
import dev.foreshadow.models.lifecycle.PoolObservation;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

/**
 * Asks a pool's manager what the pool has, on each of its heartbeats, off the operator's thread.
 * Input: {@link Tick}s. Output: the pool's observation, stamped by the manager's clock; one that
 * could not be made (an API error after the retries, a timeout) is an observation with the error,
 * never a failure of the job. A heartbeat that comes while the pool's last observation is still
 * running gives nothing, so a slow pool neither queues up observations nor holds the async capacity
 * that the other pools' observations need.
 */
final class Observe extends RichAsyncFunction<Tick, ReconcilerInput> {

    private static final long serialVersionUID = 1L;

    private final Map<String, AllocationSettings.Pool> pools;
    private transient Managers managers;

    /** The pools whose observation is running. */
    private transient Set<String> observing;

    Observe(Map<String, AllocationSettings.Pool> pools) {
        this.pools = pools;
    }

    @Override
    public void open(org.apache.flink.api.common.functions.OpenContext context) {
        managers = new Managers(pools, "observe");
        observing = ConcurrentHashMap.newKeySet();
    }

    @Override
    public void asyncInvoke(Tick tick, ResultFuture<ReconcilerInput> result) {
        String pool = tick.pool();
        if (!observing.add(pool)) {
            result.complete(List.of()); // the previous heartbeat's observation is still running
            return;
        }
        managers.thread(pool)
                .execute(
                        () -> {
                            try {
                                result.complete(List.of(ReconcilerInput.of(observe(pool))));
                            } finally {
                                observing.remove(pool);
                            }
                        });
    }

    private PoolObservation observe(String pool) {
        try {
            ResourceManager m = managers.of(pool);
            PoolObservation o = m.observe();
            return new PoolObservation(
                    pool, o.at(), o.pending(), o.autoscaled(), o.instances(), null);
        } catch (Exception e) {
            return PoolObservation.failed(
                    pool, managers.clock(pool).instant(), String.valueOf(e.getMessage()));
        }
    }

    @Override
    public void timeout(Tick tick, ResultFuture<ReconcilerInput> result) {
        Instant at = managers.clock(tick.pool()).instant();
        result.complete(
                List.of(
                        ReconcilerInput.of(
                                PoolObservation.failed(
                                        tick.pool(), at, "no answer within the call timeout"))));
    }

    @Override
    public void close() {
        if (managers != null) {
            managers.close();
        }
    }

    /** Whether an observation failed (and is worth a retry). */
    static boolean failed(java.util.Collection<ReconcilerInput> results) {
        return results.stream().anyMatch(r -> r.observation().error() != null);
    }
}
