package dev.foreshadow.jobs.common;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.MemorySize;

/**
 * The pool vocabulary both jobs read ({@code allocation.pools} and, per pool, {@code
 * allocation.pool.<name>.<setting>}): which workflow types run in the pool, its instance shape,
 * lead time, bounds, price, budget, cooldown and certifications. ShadowJob's planner sizes the
 * pools with it; AllocationJob drives them and adds its manager's keys ({@code AllocationOptions}).
 * Read into {@link PoolSettings}.
 */
public final class PoolOptions {

    public static final ConfigOption<List<String>> POOLS =
            key("allocation.pools")
                    .stringType()
                    .asList()
                    .noDefaultValue()
                    .withDescription(
                            "The configured pools (;-separated names, as commands name them); each is configured under allocation.pool.<name>.");

    /** One setting of every pool, {@code allocation.pool.<name>.<suffix>}. */
    public static final class PoolOption<T> {
        private final String suffix;
        private final Function<String, ConfigOption<T>> make;

        private PoolOption(String suffix, Function<String, ConfigOption<T>> make) {
            this.suffix = suffix;
            this.make = make;
        }

        /** The option of pool {@code pool}. */
        public ConfigOption<T> of(String pool) {
            return make.apply(pool);
        }

        /** The key's last part, after {@code allocation.pool.<name>.}. */
        public String suffix() {
            return suffix;
        }
    }

    /** The prefix of pool {@code pool}'s keys. */
    public static String poolPrefix(String pool) {
        return "allocation.pool." + pool + ".";
    }

    /** A per-pool option {@code allocation.pool.<name>.<suffix>} of the given type. */
    public static <T> PoolOption<T> pool(
            String suffix, Function<ConfigOptions.OptionBuilder, ConfigOption<T>> type) {
        return new PoolOption<>(suffix, p -> type.apply(key(poolPrefix(p) + suffix)));
    }

    public static final PoolOption<List<String>> TYPES =
            pool(
                    "types",
                    k ->
                            k.stringType()
                                    .asList()
                                    .defaultValues()
                                    .withDescription(
                                            "The workflow types that run in the pool (;-separated, tenant/type); ShadowJob's planner sizes the pool for the sum of their demand, a type in no pool keeps its default pool."));
    public static final PoolOption<Integer> MIN =
            pool(
                    "min",
                    k ->
                            k.intType()
                                    .defaultValue(0)
                                    .withDescription("Instances the pool always keeps."));
    public static final PoolOption<Integer> MAX =
            pool(
                    "max",
                    k ->
                            k.intType()
                                    .defaultValue(10)
                                    .withDescription(
                                            "Instances the pool never exceeds; a floor above it is clamped (and says so)."));
    public static final PoolOption<Duration> COOLDOWN =
            pool(
                    "cooldown",
                    k ->
                            k.durationType()
                                    .defaultValue(Duration.ofMinutes(5))
                                    .withDescription(
                                            "How long after the pool's target last changed capacity above it is given back."));
    public static final PoolOption<Duration> LEAD_TIME =
            pool(
                    "lead-time",
                    k ->
                            k.durationType()
                                    .defaultValue(Duration.ofMinutes(5))
                                    .withDescription(
                                            "How long before a command's readyBy its capacity is requested: boot, warm-up and validation, with a margin (the planner plans this far ahead)."));
    public static final PoolOption<Double> CORES =
            pool(
                    "cores",
                    k ->
                            k.doubleType()
                                    .defaultValue(8.0)
                                    .withDescription("Cores of one instance."));
    public static final PoolOption<MemorySize> MEMORY =
            pool(
                    "memory",
                    k ->
                            k.memoryType()
                                    .defaultValue(MemorySize.parse("32 gb"))
                                    .withDescription("Memory of one instance (e.g. 32 gb)."));
    public static final PoolOption<Double> PRICE =
            pool(
                    "price-per-instance-hour",
                    k ->
                            k.doubleType()
                                    .defaultValue(1.0)
                                    .withDescription(
                                            "What one instance costs per hour, for the budget."));
    public static final PoolOption<Double> BUDGET =
            pool(
                    "budget-per-hour",
                    k ->
                            k.doubleType()
                                    .defaultValue(0.0)
                                    .withDescription(
                                            "The most the pool may cost per hour (0: no budget); the planner's commands are clamped to it."));
    public static final PoolOption<List<String>> CERTIFICATIONS =
            pool(
                    "certifications",
                    k ->
                            k.stringType()
                                    .asList()
                                    .defaultValues()
                                    .withDescription(
                                            "Certifications the pool holds (;-separated); a command asking for another is dead-lettered."));

    private PoolOptions() {}

    /** Every per-pool option of this class, in declaration order. */
    public static List<PoolOption<?>> perPool() {
        return perPool(PoolOptions.class);
    }

    /** Every static {@link PoolOption} field of {@code options}, in declaration order. */
    public static List<PoolOption<?>> perPool(Class<?> options) {
        List<PoolOption<?>> out = new java.util.ArrayList<>();
        for (java.lang.reflect.Field f : options.getFields()) {
            if (java.lang.reflect.Modifier.isStatic(f.getModifiers())
                    && f.getType() == PoolOption.class) {
                try {
                    out.add((PoolOption<?>) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return out;
    }
}
