package dev.foreshadow.models.demand;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * The {@link ArrivalsForecaster} for a workflow type with too little history of its own (fewer than
 * {@code minHistory} steps): a prior from similar types of the same tenant, scaled to the runs the
 * type has had; the wrapped forecaster otherwise, and also when no type is similar (its cold start,
 * seasonal naive, stays the fallback).
 *
 * <p>Input: the type's counts per step (step 0 at absolute step index {@code firstStepIndex}, so a
 * step's slot of the cycle is its index modulo the cycle's length) and, per type, the donors: types
 * of its tenant with at least two cycles of history, each as its mean runs per slot of the cycle.
 * "Similar" is decided on the steps the type has: each donor's curve over those slots and the
 * type's counts are both divided by their sums over them, and the {@link #NEAREST} donors with the
 * least absolute difference between the two (ties by name) are kept; a donor with no runs in those
 * slots is not similar. The prior's shape is the mean of the kept donors' curves, each divided by
 * its mean over the cycle; its level makes the shape's sum over the steps seen equal the type's
 * runs there (the maximum-likelihood level of Poisson counts with a known shape). Output per step
 * ahead: that level times the shape, with the variance of a Poisson count whose rate is known only
 * from the {@code N} runs seen ({@code m + m^2 / N}: the gamma-Poisson mixture after {@code N}
 * events, Gelman et al., Bayesian Data Analysis, 3rd ed., 2.6), and a reason naming the donors.
 */
public final class SimilarTypesPrior implements ArrivalsForecaster {

    /** How many similar types the prior rests on, at most. */
    static final int NEAREST = 3;

    static final String MODEL = "prior";
    private static final double Z90 = 1.2815515655446004;

    /** A donor: its key, the name a reason shows, and its mean runs per slot of the cycle. */
    public record Donor(String type, String name, double[] perSlot) {}

    private final ArrivalsForecaster own;
    private final int minHistory;
    private final long firstStepIndex;
    private final Function<String, List<Donor>> donors;

    /**
     * @param own the forecaster of types with enough history (and the fallback)
     * @param minHistory the steps of history from which a type forecasts from its own
     * @param firstStepIndex the absolute index (time / step) of every history's first step
     * @param donors per type, the candidate donors (the type itself is left out)
     */
    public SimilarTypesPrior(
            ArrivalsForecaster own,
            int minHistory,
            long firstStepIndex,
            Function<String, List<Donor>> donors) {
        this.own = own;
        this.minHistory = minHistory;
        this.firstStepIndex = firstStepIndex;
        this.donors = donors;
    }

    @Override
    public ArrivalsForecast forecast(String type, double[] history, int horizon) {
        if (history.length >= minHistory) {
            return own.forecast(type, history, horizon);
        }
        ArrivalsForecast prior = prior(type, history, horizon);
        return prior != null ? prior : own.forecast(type, history, horizon);
    }

    private record Scored(Donor donor, double[] shape, double distance) {}

    /** The prior, or null when no donor is similar or the type has had no runs. */
    ArrivalsForecast prior(String type, double[] history, int horizon) {
        int n = history.length;
        double runs = 0;
        for (double h : history) {
            runs += h;
        }
        if (n == 0 || runs <= 0) {
            return null;
        }
        List<Scored> scored = new ArrayList<>();
        for (Donor d : donors.apply(type)) {
            if (d.type().equals(type) || d.perSlot().length == 0) {
                continue;
            }
            double[] shape = normalised(d.perSlot());
            if (shape == null) {
                continue;
            }
            double seen = 0;
            for (int i = 0; i < n; i++) {
                seen += shape[slot(i, shape.length)];
            }
            if (seen <= 0) {
                continue;
            }
            double distance = 0;
            for (int i = 0; i < n; i++) {
                distance += Math.abs(history[i] / runs - shape[slot(i, shape.length)] / seen);
            }
            scored.add(new Scored(d, shape, distance));
        }
        if (scored.isEmpty()) {
            return null;
        }
        scored.sort(
                Comparator.comparingDouble(Scored::distance).thenComparing(s -> s.donor().name()));
        List<Scored> kept = scored.subList(0, Math.min(NEAREST, scored.size()));
        int slots = kept.get(0).shape().length;
        double[] shape = new double[slots];
        List<String> names = new ArrayList<>();
        for (Scored s : kept) {
            if (s.shape().length != slots) {
                return null; // donors of another cycle: nothing to average
            }
            for (int j = 0; j < slots; j++) {
                shape[j] += s.shape()[j] / kept.size();
            }
            names.add(s.donor().name());
        }
        double seen = 0;
        for (int i = 0; i < n; i++) {
            seen += shape[slot(i, slots)];
        }
        double level = runs / seen;
        double[] p10 = new double[horizon];
        double[] p50 = new double[horizon];
        double[] p90 = new double[horizon];
        for (int h = 0; h < horizon; h++) {
            double m = level * shape[slot(n + h, slots)];
            double sd = Math.sqrt(m + m * m / runs);
            p50[h] = m;
            p10[h] = m - Z90 * sd;
            p90[h] = m + Z90 * sd;
        }
        return new ArrivalsForecast(
                p10,
                p50,
                p90,
                MODEL,
                String.format(
                        java.util.Locale.ROOT,
                        "prior from similar types %s (closest shapes over the %d steps seen,"
                                + " scaled to their %.0f runs)",
                        String.join(", ", names),
                        n,
                        runs));
    }

    private int slot(int step, int slots) {
        return (int) Math.floorMod(firstStepIndex + step, (long) slots);
    }

    /** The curve divided by its mean, or null when it has no runs. */
    private static double[] normalised(double[] perSlot) {
        double mean = 0;
        for (double v : perSlot) {
            mean += v / perSlot.length;
        }
        if (!(mean > 0)) {
            return null;
        }
        double[] out = new double[perSlot.length];
        for (int j = 0; j < out.length; j++) {
            out[j] = perSlot[j] / mean;
        }
        return out;
    }
}
