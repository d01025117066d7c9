package dev.foreshadow.models.demand;

import dev.foreshadow.models.dependency.Dependency;
import java.util.ArrayList;
import java.util.List;

/**
 * The dependency cascade: a child type's outlook gains the runs its parents are expected to start
 * in its horizon ({@code P(child | parent)} times the parent's starts, shifted by the lag
 * distribution), from the parents' counts before the origin and their outlooks after it; and what
 * the child's own forecaster learns from is its history without the runs its parents are expected
 * to have started, so that they are not counted twice. Starts are taken as uniform within a step
 * and lags at the middle of their bins; the added count is taken as Poisson.
 */
public final class Cascade {

    private final List<Dependency> dependencies;
    private final List<String> types;
    private final long firstStepMs;
    private final long stepMs;

    public Cascade(
            List<Dependency> dependencies, List<String> types, long firstStepMs, long stepMs) {
        this.dependencies = List.copyOf(dependencies);
        this.types = List.copyOf(types);
        this.firstStepMs = firstStepMs;
        this.stepMs = stepMs;
    }

    public boolean isEmpty() {
        return dependencies.isEmpty();
    }

    /** The child's counts minus the runs its parents are expected to have started (at least 0). */
    public double[] untriggered(int child, double[][] counts) {
        double[] out = counts[child].clone();
        for (Dependency d : dependencies) {
            if (!d.child().equals(types.get(child))) {
                continue;
            }
            int parent = types.indexOf(d.parent());
            for (int s = 0; s < out.length; s++) {
                out[s] -= triggered(d, counts[parent], null, counts[parent].length, s);
            }
        }
        for (int s = 0; s < out.length; s++) {
            out[s] = Math.max(0, out[s]);
        }
        return out;
    }

    /**
     * The outlooks of one origin with each child's expected triggered runs added.
     *
     * @param outlooks per type index, its outlook at step {@code origin}
     * @param counts per type index, its counts (only steps before {@code origin} are read)
     */
    public TypeOutlook[] apply(TypeOutlook[] outlooks, double[][] counts, int origin) {
        if (dependencies.isEmpty()) {
            return outlooks;
        }
        TypeOutlook[] out = outlooks.clone();
        for (Dependency d : dependencies) {
            int parent = types.indexOf(d.parent());
            int child = types.indexOf(d.child());
            if (parent < 0 || child < 0 || out[child] == null || !out[child].available()) {
                continue;
            }
            int h = out[child].horizon();
            double[] add = new double[h];
            for (int j = 0; j < h; j++) {
                add[j] = triggered(d, counts[parent], outlooks[parent], origin, origin + j);
            }
            out[child] = out[child].plus(add, add, List.of(d.toString()));
        }
        return out;
    }

    /**
     * Runs of the child that the parent is expected to start in step {@code s}: known parent counts
     * before {@code origin}, the parent's outlook (if any) from it on.
     */
    private double triggered(
            Dependency d, double[] parent, TypeOutlook outlook, int origin, int s) {
        double sum = 0;
        long from = firstStepMs + s * stepMs;
        for (int i = 0; i < d.lagWeights().length; i++) {
            double w = d.lagWeights()[i];
            if (w == 0) {
                continue;
            }
            long lag = (long) ((i + 0.5) * d.binMs());
            sum += w * starts(parent, outlook, origin, from - lag, from + stepMs - lag);
        }
        return d.probability() * sum;
    }

    /** Expected parent starts in {@code [x, y)}. */
    private double starts(double[] parent, TypeOutlook outlook, int origin, long x, long y) {
        double sum = 0;
        int first = (int) Math.floorDiv(x - firstStepMs, stepMs);
        int last = (int) Math.floorDiv(y - 1 - firstStepMs, stepMs);
        for (int s = Math.max(0, first); s <= last; s++) {
            long a = Math.max(x, firstStepMs + s * stepMs);
            long b = Math.min(y, firstStepMs + (s + 1) * stepMs);
            double share = (double) (b - a) / stepMs;
            double count;
            if (s < origin) {
                count = s < parent.length ? parent[s] : 0;
            } else if (outlook != null && s - origin < outlook.horizon()) {
                count = outlook.mean()[s - origin];
            } else {
                count = 0;
            }
            sum += count * share;
        }
        return sum;
    }

    public List<String> describe() {
        List<String> out = new ArrayList<>();
        dependencies.forEach(d -> out.add(d.toString()));
        return out;
    }
}
