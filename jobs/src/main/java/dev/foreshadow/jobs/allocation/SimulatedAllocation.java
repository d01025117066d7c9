package dev.foreshadow.jobs.allocation;

import dev.foreshadow.connectors.embedded.EmbeddedStack;
import dev.foreshadow.connectors.history.AllocationHistory;
import dev.foreshadow.connectors.resources.simulated.SimulatedCloud;
import dev.foreshadow.connectors.resources.simulated.SimulatedPool;
import dev.foreshadow.connectors.resources.simulated.SimulatedSettings;
import java.sql.Connection;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * AllocationJob on simulated pools of the embedded stack, in one call: what the demo starts beside
 * ShadowJob. Its pools run on the clock given (the demo's accelerated one), so that commands
 * stamped with the trace's event time are in force when they should be; their boot and warm-up
 * times, cooldown, lead time and validation deadline are on that clock too, while the poll interval
 * and call timeout are real time.
 *
 * <pre>
 * try (SimulatedAllocation a = SimulatedAllocation.start(env, stack, clock, Map.of(
 *         "allocation.pools", "shop/order-fulfilment",
 *         "allocation.pool.shop/order-fulfilment.manager", "simulated"))) {
 *     ... run ShadowJob, replay the trace ...
 *     AllocationHistory.Summary s = a.summary();
 * }
 * </pre>
 */
public final class SimulatedAllocation implements AutoCloseable {

    private final EmbeddedStack stack;
    private final AllocationSettings settings;
    private final InstantSource clock;
    private final JobClient job;

    private SimulatedAllocation(
            EmbeddedStack stack, AllocationSettings settings, InstantSource clock, JobClient job) {
        this.stack = stack;
        this.settings = settings;
        this.clock = clock;
        this.job = job;
    }

    /**
     * Registers every pool of {@code settings} (all simulated) on {@code clock}, and starts
     * AllocationJob on {@code env} against {@code stack}'s Kafka and PostgreSQL (whose migrations
     * must have been applied).
     */
    public static SimulatedAllocation start(
            StreamExecutionEnvironment env,
            EmbeddedStack stack,
            InstantSource clock,
            Map<String, String> settings)
            throws Exception {
        stack.createJobLogins();
        Map<String, String> all = new HashMap<>();
        all.put("kafka.bootstrap-servers", stack.kafkaBootstrapServers());
        all.put("history.jdbc-url", stack.jdbcUrl());
        all.put("history.user", EmbeddedStack.ALLOCATION_LOGIN);
        all.putAll(settings);
        AllocationSettings s = AllocationSettings.from(AllocationSettings.load(null, all));
        for (AllocationSettings.Pool p : s.pools().values()) {
            if (!(p.manager() instanceof SimulatedSettings simulated)) {
                throw new IllegalArgumentException(
                        "pool " + p.id() + " is not simulated (" + p.manager().kind() + ")");
            }
            SimulatedCloud.register(p.id().name(), simulated, clock);
        }
        AllocationJob.of(s).build(env);
        return new SimulatedAllocation(stack, s, clock, env.executeAsync(AllocationJob.NAME));
    }

    public JobClient job() {
        return job;
    }

    /** The simulated pool of that name: its instances, instance-hours and cost. */
    public SimulatedPool pool(String name) {
        return SimulatedCloud.find(name)
                .orElseThrow(() -> new IllegalArgumentException("no simulated pool " + name));
    }

    /** What allocation did so far, from {@code allocation_events}. */
    public AllocationHistory.Summary summary() throws Exception {
        try (Connection c = stack.postgres().connect()) {
            return AllocationHistory.summary(
                    c, List.copyOf(settings.pools().keySet()), clock.instant());
        }
    }

    /** Cancels the job and forgets its pools. */
    @Override
    public void close() throws Exception {
        try {
            if (!job.getJobStatus().get().isGloballyTerminalState()) {
                job.cancel().get();
            }
        } finally {
            settings.pools().keySet().forEach(SimulatedCloud::remove);
        }
    }
}
