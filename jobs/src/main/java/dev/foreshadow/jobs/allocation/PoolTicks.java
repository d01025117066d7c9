package dev.foreshadow.jobs.allocation;

import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;

/**
 * The source of the pools' heartbeats: one {@link Tick} per pool every poll interval, in turn,
 * unbounded. Checkpointed by Flink's generator source, so a restart goes on from its count; run at
 * parallelism 1.
 */
final class PoolTicks {

    private PoolTicks() {}

    static DataGeneratorSource<Tick> source(List<String> pools, Duration pollInterval) {
        List<String> names = List.copyOf(pools);
        int n = names.size();
        double perSecond = n * 1000.0 / pollInterval.toMillis();
        return new DataGeneratorSource<>(
                i -> new Tick(names.get((int) (i % n)), i / n),
                Long.MAX_VALUE,
                RateLimiterStrategy.perSecond(perSecond),
                TypeInformation.of(Tick.class));
    }
}
