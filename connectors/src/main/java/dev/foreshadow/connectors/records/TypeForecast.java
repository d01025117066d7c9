package dev.foreshadow.connectors.records;

import dev.foreshadow.models.domain.WorkloadKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The runs one workflow type is expected to start in each step from {@code origin}: one row of
 * {@code forecasts}, and what the Planner operator sizes its pool for. Per step the mean and
 * variance of the count (after external events and the dependency cascade) and the P10/P90 read
 * from them as normal.
 *
 * @param modelVersion the registry version of the model, 0 when the job chose it itself
 * @param scoredOrigin the origin of the earlier forecast scored now (its horizon has passed), or
 *     null
 * @param mase that forecast's mean absolute error over the in-sample seasonal naive error, or NaN
 * @param retrain whether the type's smoothed MASE is above the retraining threshold
 * @param revisedAt null for the origin's own forecast (the row of {@code forecasts}, the one
 *     scored); else when an external event that arrived after the origin revised it (the event's
 *     announcement, at the earliest the origin), for the Planner only
 */
public record TypeForecast(
        Instant origin,
        String tenant,
        String workflowType,
        long stepMs,
        double[] mean,
        double[] variance,
        String model,
        int modelVersion,
        String why,
        List<String> events,
        List<String> dependencies,
        Instant scoredOrigin,
        double mase,
        boolean retrain,
        Instant revisedAt) {

    /** z of the 90% quantile of a normal distribution. */
    private static final double Z90 = 1.2815515655446004;

    public TypeForecast {
        mean = mean.clone();
        variance = variance.clone();
        events = events == null ? List.of() : List.copyOf(events);
        dependencies = dependencies == null ? List.of() : List.copyOf(dependencies);
    }

    public WorkloadKey typeKey() {
        return WorkloadKey.ofType(tenant, workflowType);
    }

    public int horizon() {
        return mean.length;
    }

    public double[] p10() {
        double[] out = new double[mean.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.max(0, mean[i] - Z90 * Math.sqrt(variance[i]));
        }
        return out;
    }

    public double[] p90() {
        double[] out = new double[mean.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = mean[i] + Z90 * Math.sqrt(variance[i]);
        }
        return out;
    }

    // a record compares arrays by reference: compare the values
    @Override
    public boolean equals(Object o) {
        return o instanceof TypeForecast f
                && Objects.equals(origin, f.origin)
                && Objects.equals(tenant, f.tenant)
                && Objects.equals(workflowType, f.workflowType)
                && stepMs == f.stepMs
                && Arrays.equals(mean, f.mean)
                && Arrays.equals(variance, f.variance)
                && Objects.equals(model, f.model)
                && modelVersion == f.modelVersion
                && Objects.equals(why, f.why)
                && Objects.equals(events, f.events)
                && Objects.equals(dependencies, f.dependencies)
                && Objects.equals(scoredOrigin, f.scoredOrigin)
                && Double.compare(mase, f.mase) == 0
                && retrain == f.retrain
                && Objects.equals(revisedAt, f.revisedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(origin, tenant, workflowType, model, modelVersion);
    }
}
