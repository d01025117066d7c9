package dev.foreshadow.models.planning;

/**
 * How the planner sizes capacity: the quantile of the demand it provisions for at first and the
 * bounds its adaptation keeps to, how fast it adapts (the step of adaptive conformal inference),
 * and how often it plans (each command holds for one period after its {@code readyBy}).
 */
public record PlannerSettings(
        double quantile, double minQuantile, double maxQuantile, double adaptation, long periodMs) {

    /**
     * One configuration for every pool and trace, chosen on the development parts of the evaluation
     * traces (docs/ALLOCATION.md): the 99.9th percentile, adapting within [0.99, 0.9995] by steps
     * of 0.002, planning every 15 s.
     */
    public static PlannerSettings defaults() {
        return new PlannerSettings(0.999, 0.99, 0.9995, 0.002, 15_000);
    }

    public PlannerSettings {
        if (!(minQuantile > 0
                && minQuantile <= quantile
                && quantile <= maxQuantile
                && maxQuantile < 1)) {
            throw new IllegalArgumentException(
                    "needs 0 < minimum quantile <= quantile <= maximum quantile < 1");
        }
        if (!(adaptation >= 0 && adaptation < 1) || periodMs <= 0) {
            throw new IllegalArgumentException("needs 0 <= adaptation < 1 and a period > 0");
        }
    }
}
