package dev.foreshadow.jobs.shadow.planner;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.MemorySize;

/**
 * How ShadowJob's Planner sizes pools ({@code planner.*}): the mode, and the pool each workflow
 * type gets by default (one per type, named as {@code PoolId.defaultFor} names it), described with
 * the per-pool vocabulary of AllocationJob's {@code allocation.pool.<name>.*} keys (cores, memory,
 * lead-time, min, max, cooldown). Read into {@link PlanningSettings}.
 */
public final class PlannerOptions {

    /** What the planner's commands are for. */
    public enum Mode {
        /** The allocator applies them. */
        APPLY,
        /** Dry run: commands are recorded (topic and table), marked dryRun, applied nowhere. */
        FORECAST_ONLY
    }

    public static final ConfigOption<String> MODE =
            key("planner.mode")
                    .stringType()
                    .defaultValue("apply")
                    .withDescription(
                            "apply: the allocator applies the planner's commands; forecast-only: they are recorded"
                                    + " (allocation-commands, allocation_commands) with dryRun true and applied nowhere,"
                                    + " the anomaly scale-ups included.");
    public static final ConfigOption<Integer> CORES =
            key("planner.default-pool.cores")
                    .intType()
                    .defaultValue(8)
                    .withDescription("Cores of one instance of a workflow type's default pool.");
    public static final ConfigOption<MemorySize> MEMORY =
            key("planner.default-pool.memory")
                    .memoryType()
                    .defaultValue(MemorySize.parse("32 gb"))
                    .withDescription("Memory of one instance of a default pool.");
    public static final ConfigOption<Duration> LEAD_TIME =
            key("planner.default-pool.lead-time")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(5))
                    .withDescription(
                            "Boot plus warm-up of a default pool's instance: capacity is planned this far ahead"
                                    + " (as allocation.pool.<name>.lead-time).");
    public static final ConfigOption<Integer> MIN =
            key("planner.default-pool.min")
                    .intType()
                    .defaultValue(0)
                    .withDescription("Instances a default pool always keeps.");
    public static final ConfigOption<Integer> MAX =
            key("planner.default-pool.max")
                    .intType()
                    .defaultValue(10)
                    .withDescription(
                            "Instances a default pool never exceeds: forecast and anomaly commands are clamped to it"
                                    + " (and say so in their rule).");
    public static final ConfigOption<Double> PRICE =
            key("planner.default-pool.price-per-instance-hour")
                    .doubleType()
                    .defaultValue(1.0)
                    .withDescription("What one instance costs per hour, for the budget.");
    public static final ConfigOption<Double> BUDGET =
            key("planner.default-pool.budget-per-hour")
                    .doubleType()
                    .defaultValue(0.0)
                    .withDescription(
                            "The most a default pool may cost per hour (0: no budget); commands are clamped to it.");
    public static final ConfigOption<Duration> COOLDOWN =
            key("planner.default-pool.cooldown")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(5))
                    .withDescription("Scale-in cooldown of a default pool.");

    private PlannerOptions() {}
}
