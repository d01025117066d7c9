package dev.foreshadow.models.demand;

import dev.foreshadow.models.dependency.Dependency;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

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
    private final Map<Dependency, Shifts> shifts = new IdentityHashMap<>();

    /**
     * @param types the types' names, in the order of the counts and outlooks given to this
     * @param stepMs the length of a step of those counts
     */
    public Cascade(List<Dependency> dependencies, List<String> types, long stepMs) {
        this.dependencies = List.copyOf(dependencies);
        this.types = List.copyOf(types);
        for (Dependency d : this.dependencies) {
            shifts.put(d, new Shifts(d, stepMs));
        }
    }

    /**
     * Where one dependency's lags put a parent's starts, in steps: the child's step {@code s} gains
     * {@code weight[d]} of the parent's starts of step {@code s + from + d}, the same for every
     * {@code s} (steps are whole multiples of {@code stepMs} from the first), so it is found once
     * per dependency rather than at every step of every history: lag bin {@code i} (its lag at the
     * middle of the bin, weight {@code lagWeights[i]}) takes the parent's starts in {@code [s
     * stepMs - lag, (s + 1) stepMs - lag)}, a share of each step it overlaps.
     */
    private static final class Shifts {
        final int from;
        final double[] weight;

        Shifts(Dependency d, long stepMs) {
            double[] w = d.lagWeights();
            int lo = Integer.MAX_VALUE;
            int hi = Integer.MIN_VALUE;
            for (int i = 0; i < w.length; i++) {
                if (w[i] != 0) {
                    long lag = (long) ((i + 0.5) * d.binMs());
                    lo = Math.min(lo, (int) Math.floorDiv(-lag, stepMs));
                    hi = Math.max(hi, (int) Math.floorDiv(stepMs - lag - 1, stepMs));
                }
            }
            from = lo == Integer.MAX_VALUE ? 0 : lo;
            weight = new double[lo == Integer.MAX_VALUE ? 0 : hi - lo + 1];
            for (int i = 0; i < w.length; i++) {
                if (w[i] == 0) {
                    continue;
                }
                long lag = (long) ((i + 0.5) * d.binMs());
                long x = -lag;
                long y = stepMs - lag;
                for (long j = Math.floorDiv(x, stepMs); j <= Math.floorDiv(y - 1, stepMs); j++) {
                    long a = Math.max(x, j * stepMs);
                    long b = Math.min(y, (j + 1) * stepMs);
                    weight[(int) j - from] += w[i] * (b - a) / stepMs;
                }
            }
        }
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
            Shifts shift = shifts.get(d);
            for (int s = 0; s < out.length; s++) {
                out[s] -= triggered(d, shift, counts[parent], null, counts[parent].length, s);
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
            Shifts shift = shifts.get(d);
            for (int j = 0; j < h; j++) {
                add[j] = triggered(d, shift, counts[parent], outlooks[parent], origin, origin + j);
            }
            out[child] = out[child].plus(add, add, List.of(d.toString()));
        }
        return out;
    }

    /**
     * Runs of the child that the parent is expected to start in step {@code s}: known parent counts
     * before {@code origin}, the parent's outlook (if any) from it on; starts are taken as uniform
     * within their step ({@link Shifts}).
     */
    private static double triggered(
            Dependency d, Shifts shift, double[] parent, TypeOutlook outlook, int origin, int s) {
        int first = s + shift.from;
        double sum = 0;
        for (int j = Math.max(0, -first); j < shift.weight.length; j++) {
            int step = first + j;
            double count;
            if (step < origin) {
                count = step < parent.length ? parent[step] : 0;
            } else if (outlook != null && step - origin < outlook.horizon()) {
                count = outlook.mean()[step - origin];
            } else {
                count = 0;
            }
            sum += shift.weight[j] * count;
        }
        return d.probability() * sum;
    }

    public List<String> describe() {
        List<String> out = new ArrayList<>();
        dependencies.forEach(d -> out.add(d.toString()));
        return out;
    }
}
