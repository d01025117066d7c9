package dev.foreshadow.models.simulation;

import dev.foreshadow.models.demand.DemandForecaster;
import dev.foreshadow.models.demand.PoolDemand;
import dev.foreshadow.models.demand.TypeOutlook;
import dev.foreshadow.models.planning.Decision;
import dev.foreshadow.models.planning.Planner;
import dev.foreshadow.models.planning.PoolFloors;
import dev.foreshadow.models.planning.PoolObservation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * foreshadow in the simulator: every planning period it forecasts the pool's demand one lead time
 * ahead ({@link DemandForecaster}: the runs in flight, which it follows as the shadow would, by
 * their start and the tasks they have ended, and the types' {@link TypeOutlook}s at the current
 * step), lets the {@link Planner} decide, and applies the decision as the allocator does ({@link
 * PoolFloors}: the largest floor in force, scale-in after the cooldown). The outlooks are made
 * before the simulation (they depend only on the arrivals before each origin, never on the policy),
 * which is what the job computes at each step boundary.
 */
final class ForeshadowPolicy implements Policy {

    private final Planner planner;
    private final DemandForecaster demand;
    private final TypeOutlook[][] outlooks;
    private final int firstStep;
    private final long firstStepMs;
    private final long stepMs;
    private final PoolFloors floors;

    private final int[] position;
    private final int[] runAt;
    private final int[] activeType;
    private final long[] activeStart;
    private final int[] activeDone;
    private int active;

    private final Map<String, long[]> rules = new TreeMap<>();
    private double minQuantile = 1;
    private double maxQuantile = 0;
    private Decision last;
    private final Map<String, String> eventsSeen = new TreeMap<>();

    /**
     * @param outlooks {@code [type][step - firstStep]}: each type's outlook at each step origin
     */
    ForeshadowPolicy(
            Planner planner,
            DemandForecaster demand,
            TypeOutlook[][] outlooks,
            int firstStep,
            long firstStepMs,
            long stepMs,
            int runs) {
        this.planner = planner;
        this.demand = demand;
        this.outlooks = outlooks;
        this.firstStep = firstStep;
        this.firstStepMs = firstStepMs;
        this.stepMs = stepMs;
        this.floors =
                new PoolFloors(
                        planner.pool().minInstances(),
                        planner.pool().maxInstances(),
                        planner.pool().cooldownMs());
        this.position = new int[runs];
        Arrays.fill(position, -1);
        this.activeType = new int[runs];
        this.activeStart = new long[runs];
        this.activeDone = new int[runs];
        this.runAt = new int[runs];
    }

    @Override
    public String name() {
        return "foreshadow";
    }

    @Override
    public long periodMs() {
        return planner.settings().periodMs();
    }

    @Override
    public void onRunStarted(Cluster cluster, int run, int type, long now) {
        position[run] = active;
        activeType[active] = type;
        activeStart[active] = now;
        activeDone[active] = 0;
        runAt[active] = run;
        active++;
    }

    @Override
    public void onRunFinished(Cluster cluster, int run, int type, long now) {
        int i = position[run];
        int lastIndex = --active;
        activeType[i] = activeType[lastIndex];
        activeStart[i] = activeStart[lastIndex];
        activeDone[i] = activeDone[lastIndex];
        runAt[i] = runAt[lastIndex];
        position[runAt[i]] = i;
        position[run] = -1;
    }

    @Override
    public void onTaskFinished(Cluster cluster, int run, long now) {
        activeDone[position[run]]++;
    }

    @Override
    public void tick(Cluster cluster, long now) {
        long lead = cluster.leadMs();
        long period = periodMs();
        long[] at = {now + lead, now + lead + period / 2, now + lead + period};
        int index = (int) (Math.floorDiv(now - firstStepMs, stepMs) - firstStep);
        TypeOutlook[] current = new TypeOutlook[outlooks.length];
        for (int k = 0; k < outlooks.length; k++) {
            current[k] = outlooks[k][Math.max(0, Math.min(outlooks[k].length - 1, index))];
        }
        PoolDemand forecast =
                demand.forecast(
                        now, at, activeType, activeStart, null, activeDone, active, current);
        PoolObservation seen =
                new PoolObservation(
                        cluster.readyInstances(),
                        cluster.pendingInstances(),
                        cluster.busyCores(),
                        cluster.queuedCores());
        Decision d = planner.plan(now, seen, forecast);
        floors.add(d);
        cluster.scaleTo(floors.target(now));
        rules.computeIfAbsent(d.reason() + ": " + d.rule(), k -> new long[1])[0]++;
        if (!Double.isNaN(d.quantile())) {
            minQuantile = Math.min(minQuantile, d.quantile());
            maxQuantile = Math.max(maxQuantile, d.quantile());
        }
        last = d;
        for (String e : d.basis().events()) {
            String[] words = e.split(" ", 3);
            eventsSeen.put(words[0] + " " + words[1], e);
        }
    }

    @Override
    public List<String> notes() {
        List<String> out = new ArrayList<>();
        long total = rules.values().stream().mapToLong(v -> v[0]).sum();
        rules.forEach(
                (rule, n) ->
                        out.add(
                                String.format(
                                        "decisions %-40s %6.2f%%", rule, 100.0 * n[0] / total)));
        out.add(
                String.format(
                        "quantile ranged %.3f..%.3f, ended at %.3f",
                        minQuantile, maxQuantile, planner.quantile()));
        if (last != null) {
            new TreeMap<>(last.basis().models())
                    .forEach((type, m) -> out.add("model " + type + ": " + m));
            eventsSeen.values().forEach(e -> out.add("event (last applied) " + e));
            last.basis().dependencies().forEach(e -> out.add("dependency " + e));
        }
        return out;
    }
}
