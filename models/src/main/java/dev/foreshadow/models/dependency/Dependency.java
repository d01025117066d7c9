package dev.foreshadow.models.dependency;

import java.util.Arrays;

/**
 * One workflow type starting another: a run of {@code parent} is followed by a run of {@code child}
 * with probability {@code probability}, after a lag distributed over bins of {@code binMs} ({@code
 * lagWeights[i]} for lags in {@code [i binMs, (i + 1) binMs)}, summing to 1), learned from {@code
 * parentRuns} runs of the parent; {@code basis} says how (reported by the engine, or found by
 * association and how strongly).
 */
public record Dependency(
        String parent,
        String child,
        double probability,
        long binMs,
        double[] lagWeights,
        long parentRuns,
        String basis) {

    public Dependency {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("a probability must be in [0, 1]");
        }
        lagWeights = lagWeights.clone();
    }

    /** The mean lag, in milliseconds (bins at their middle). */
    public double meanLagMs() {
        double sum = 0;
        for (int i = 0; i < lagWeights.length; i++) {
            sum += lagWeights[i] * (i + 0.5) * binMs;
        }
        return sum;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Dependency d
                && parent.equals(d.parent)
                && child.equals(d.child)
                && probability == d.probability
                && binMs == d.binMs
                && Arrays.equals(lagWeights, d.lagWeights)
                && parentRuns == d.parentRuns
                && basis.equals(d.basis);
    }

    @Override
    public int hashCode() {
        return parent.hashCode() * 31 + child.hashCode();
    }

    @Override
    public String toString() {
        return String.format(
                "%s -> %s: p=%.3f, mean lag %.0f s (%s)",
                parent, child, probability, meanLagMs() / 1000, basis);
    }
}
