package dev.foreshadow.connectors.records;

import dev.foreshadow.models.dependency.Dependency;
import dev.foreshadow.models.domain.WorkloadKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * One workflow type starting another, as ShadowJob estimates it from the runs' {@code triggeredBy}:
 * one row of {@code workflow_dependencies}, and what the Forecast operator's cascade applies
 * ({@link #dependency()}).
 *
 * @param time the event time the estimate was published at
 * @param probability the share of the parent's runs that started a run of the child
 * @param lagWeights the share of start-to-start lags in {@code [i, i + 1) x lagBinMs}, summing to 1
 * @param parentRuns runs of the parent type the estimate rests on
 * @param triggeredRuns of those, the runs of the child they started
 */
public record WorkflowDependency(
        Instant time,
        String tenant,
        String parentType,
        String childType,
        double probability,
        long lagBinMs,
        double[] lagWeights,
        long parentRuns,
        long triggeredRuns) {

    public WorkflowDependency {
        lagWeights = lagWeights.clone();
    }

    public WorkloadKey parentKey() {
        return WorkloadKey.ofType(tenant, parentType);
    }

    public WorkloadKey childKey() {
        return WorkloadKey.ofType(tenant, childType);
    }

    /** The model's form, its types named by their {@link WorkloadKey#encoded()} keys. */
    public Dependency dependency() {
        return new Dependency(
                parentKey().encoded(),
                childKey().encoded(),
                probability,
                lagBinMs,
                lagWeights,
                parentRuns,
                "triggeredBy, " + triggeredRuns + " of " + parentRuns + " runs");
    }

    /** The mean lag in seconds (bins at their middle). */
    public double meanLagSeconds() {
        double sum = 0;
        for (int i = 0; i < lagWeights.length; i++) {
            sum += lagWeights[i] * (i + 0.5) * lagBinMs;
        }
        return sum / 1000;
    }

    // a record compares arrays by reference: compare the weights
    @Override
    public boolean equals(Object o) {
        return o instanceof WorkflowDependency d
                && Objects.equals(time, d.time)
                && Objects.equals(tenant, d.tenant)
                && Objects.equals(parentType, d.parentType)
                && Objects.equals(childType, d.childType)
                && probability == d.probability
                && lagBinMs == d.lagBinMs
                && Arrays.equals(lagWeights, d.lagWeights)
                && parentRuns == d.parentRuns
                && triggeredRuns == d.triggeredRuns;
    }

    @Override
    public int hashCode() {
        return Objects.hash(time, tenant, parentType, childType, parentRuns);
    }
}
