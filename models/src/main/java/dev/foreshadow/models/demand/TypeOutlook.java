package dev.foreshadow.models.demand;

import java.util.ArrayList;
import java.util.List;

/**
 * The arrivals expected for one workflow type in the steps from a forecast origin: per step the
 * mean and variance of the count, after announced events and the dependency cascade, with what it
 * rests on (the model and why, the events applied, the dependencies added).
 */
public record TypeOutlook(
        String type,
        long originMs,
        long stepMs,
        double[] mean,
        double[] variance,
        String model,
        String why,
        List<String> events,
        List<String> dependencies) {

    public TypeOutlook {
        events = List.copyOf(events);
        dependencies = List.copyOf(dependencies);
    }

    static TypeOutlook unavailable(
            String type, long originMs, long stepMs, int horizon, String why) {
        return new TypeOutlook(
                type,
                originMs,
                stepMs,
                new double[horizon],
                new double[horizon],
                "none",
                why,
                List.of(),
                List.of());
    }

    public boolean available() {
        return !model.equals("none");
    }

    public int horizon() {
        return mean.length;
    }

    /** For a type without history: the mean of the outlooks of similar types. */
    public static TypeOutlook prior(String type, List<TypeOutlook> similar) {
        TypeOutlook first = similar.get(0);
        int h = first.horizon();
        double[] mean = new double[h];
        double[] variance = new double[h];
        for (TypeOutlook o : similar) {
            for (int i = 0; i < h; i++) {
                mean[i] += o.mean[i] / similar.size();
                variance[i] += o.variance[i] / similar.size();
            }
        }
        return new TypeOutlook(
                type,
                first.originMs,
                first.stepMs,
                mean,
                variance,
                "prior",
                "no history: prior from " + similar.size() + " similar types",
                List.of(),
                List.of());
    }

    /** This outlook plus runs that other types are expected to start (mean and variance). */
    TypeOutlook plus(double[] addMean, double[] addVariance, List<String> why) {
        double[] m = mean.clone();
        double[] v = variance.clone();
        for (int i = 0; i < m.length; i++) {
            m[i] += addMean[i];
            v[i] += addVariance[i];
        }
        List<String> deps = new ArrayList<>(dependencies);
        deps.addAll(why);
        return new TypeOutlook(type, originMs, stepMs, m, v, model, this.why, events, deps);
    }
}
