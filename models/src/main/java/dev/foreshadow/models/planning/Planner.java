package dev.foreshadow.models.planning;

import dev.foreshadow.models.demand.PoolDemand;
import dev.foreshadow.models.domain.AllocationReason;
import java.util.ArrayDeque;
import java.util.TreeSet;

/**
 * The decision half of {@code allocateResources} for one pool: the instances to have READY one lead
 * time from now (boot plus warm-up), sized at a quantile {@code q} of the demand forecast over the
 * period the floor holds, and never below what the reactive rule asks for now (the work present:
 * running or waiting), so that a forecast that fails, or has no data, leaves the pool reactive
 * rather than empty ("the higher of forecast and reactive", as Crane's Effective HPA does). Without
 * a forecast the pool follows the HPA rule itself. Then the pool's minimum, maximum and budget
 * bound it. Input per plan: the time, the pool as observed, the demand forecast; output: a {@link
 * Decision}.
 *
 * <p>The quantile adapts by adaptive conformal inference (Gibbs and Candes, "Adaptive Conformal
 * Inference Under Distribution Shift", NeurIPS 2021): when a plan's {@code readyBy} comes, the
 * demand realised then (cores running and waiting) is compared with the capacity planned for it;
 * with {@code a = 1 - q} and target {@code a*} = 1 - the configured quantile, an exceedance (work
 * waits) moves {@code a <- a + g (a* - 1)} (the quantile rises), a plan that held (capacity to
 * spare) {@code a <- a + g a*} (it falls), bounded to the configured range; the share of plans
 * exceeded then tends to {@code a*}.
 */
public final class Planner {

    private final PoolSpec pool;
    private final PlannerSettings settings;
    private final HorizontalPodAutoscaler fallback;
    private double miss;

    /** Plans not yet scored: (readyBy, cores planned), oldest first. */
    private final ArrayDeque<double[]> unscored = new ArrayDeque<>();

    public Planner(PoolSpec pool, PlannerSettings settings) {
        this.pool = pool;
        this.settings = settings;
        this.fallback =
                new HorizontalPodAutoscaler(
                        new HorizontalPodAutoscaler.Settings(
                                0.7,
                                0.1,
                                settings.periodMs(),
                                300_000,
                                4,
                                100,
                                Math.max(1, pool.minInstances()),
                                pool.maxInstances()));
        this.miss = 1 - settings.quantile();
    }

    public PoolSpec pool() {
        return pool;
    }

    public PlannerSettings settings() {
        return settings;
    }

    /** The quantile the next plan sizes for. */
    public double quantile() {
        return 1 - miss;
    }

    /**
     * What the planner has learnt, for a caller that must keep it across restarts: the adapted
     * quantile, and the plans not yet scored (when each is to be ready, the cores it planned).
     */
    public record Memory(double quantile, long[] readyByMs, double[] plannedCores) {}

    public Memory memory() {
        long[] readyBy = new long[unscored.size()];
        double[] planned = new double[unscored.size()];
        int i = 0;
        for (double[] u : unscored) {
            readyBy[i] = (long) u[0];
            planned[i++] = u[1];
        }
        return new Memory(quantile(), readyBy, planned);
    }

    /** Takes up what an earlier planner of the pool had learnt (within this one's bounds). */
    public void restore(Memory m) {
        miss =
                Math.max(
                        1 - settings.maxQuantile(),
                        Math.min(1 - settings.minQuantile(), 1 - m.quantile()));
        unscored.clear();
        for (int i = 0; i < m.readyByMs().length; i++) {
            unscored.addLast(new double[] {m.readyByMs()[i], m.plannedCores()[i]});
        }
    }

    public Decision plan(long now, PoolObservation seen, PoolDemand demand) {
        adapt(now, seen);
        double q = quantile();
        int cores = pool.coresPerInstance();
        int reactive = (int) Math.ceil((seen.busyCores() + seen.queuedCores()) / cores - 1e-9);
        int forecast = 0;
        double sizedCores = 0;
        double sizedMemory = 0;
        AllocationReason reason;
        String rule;
        int instances;
        if (!demand.available()) {
            int live = seen.readyInstances() + seen.pendingInstances();
            instances =
                    Math.max(
                            reactive,
                            fallback.desired(
                                    now,
                                    live,
                                    seen.readyInstances(),
                                    seen.pendingInstances(),
                                    Math.min(seen.busyCores(), seen.readyInstances() * cores)
                                            / cores));
            reason = AllocationReason.REACTIVE;
            rule =
                    "reactive (no forecast: "
                            + String.join("; ", new TreeSet<>(demand.models().values()))
                            + ")";
            sizedCores = seen.busyCores() + seen.queuedCores();
        } else {
            for (int i = 0; i < demand.atMs().length; i++) {
                double c = demand.coresQuantile(i, q);
                double m = demand.memoryQuantile(i, q);
                sizedCores = Math.max(sizedCores, c);
                sizedMemory = Math.max(sizedMemory, m);
                int need =
                        (int)
                                Math.max(
                                        Math.ceil(c / cores - 1e-9),
                                        Math.ceil(m / pool.memoryBytesPerInstance() - 1e-9));
                forecast = Math.max(forecast, need);
            }
            if (reactive >= forecast) {
                instances = reactive;
                reason = AllocationReason.REACTIVE;
                rule = "reactive floor";
                sizedCores = Math.max(sizedCores, seen.busyCores() + seen.queuedCores());
            } else {
                instances = forecast;
                reason =
                        !demand.events().isEmpty()
                                ? AllocationReason.EXTERNAL_EVENT
                                : !demand.dependencies().isEmpty()
                                        ? AllocationReason.DEPENDENCY
                                        : AllocationReason.FORECAST;
                rule = "forecast";
            }
        }
        if (instances > pool.maxInstances()) {
            instances = pool.maxInstances();
            rule += ", maximum";
        }
        if (instances > pool.budgetInstances()) {
            instances = pool.budgetInstances();
            rule += ", budget";
        }
        if (instances < pool.minInstances()) {
            instances = Math.min(pool.minInstances(), pool.budgetInstances());
            rule += ", minimum";
        }
        long readyBy = now + pool.leadMs();
        if (demand.available()) {
            unscored.addLast(new double[] {readyBy, (double) instances * cores});
        }
        return new Decision(
                pool.id(),
                now,
                readyBy,
                readyBy + settings.periodMs(),
                instances,
                sizedCores,
                Math.round(sizedMemory),
                Math.round(demand.networkBytesPerSecond()),
                pool.certifications(),
                demand.available() ? q : Double.NaN,
                reason,
                rule,
                pool.forecastOnly(),
                new Decision.Basis(
                        demand.meanCores().length > 0 ? demand.meanCores()[0] : 0,
                        demand.available() && demand.atMs().length > 0
                                ? demand.coresQuantile(0, q)
                                : 0,
                        demand.inFlightCores(),
                        demand.arrivalsCores(),
                        forecast,
                        reactive,
                        demand.models(),
                        demand.events(),
                        demand.dependencies()));
    }

    /**
     * Scores the plans whose {@code readyBy} has come: the demand realised now (cores running and
     * waiting) above the cores planned for now is an error (work waits), below it a hit (capacity
     * idles).
     */
    private void adapt(long now, PoolObservation seen) {
        double realised = seen.busyCores() + seen.queuedCores();
        double target = 1 - settings.quantile();
        while (!unscored.isEmpty() && unscored.peekFirst()[0] <= now) {
            double planned = unscored.pollFirst()[1];
            double error = realised > planned ? 1 : 0;
            miss += settings.adaptation() * (target - error);
        }
        miss = Math.max(1 - settings.maxQuantile(), Math.min(1 - settings.minQuantile(), miss));
    }
}
