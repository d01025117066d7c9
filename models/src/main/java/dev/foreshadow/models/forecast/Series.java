package dev.foreshadow.models.forecast;

import java.util.Arrays;

/**
 * One regularly spaced series: its values, the covariates known in advance ({@code
 * covariates[t][c]} for every step of {@code values}, and possibly beyond: future steps whose
 * covariates are already known, such as announced campaigns or public holidays), and {@code
 * firstStep}, the absolute index of {@code values[0]} (timestamp divided by the step length, or 0
 * when the calendar is unknown) from which calendar phases are computed.
 */
public record Series(String id, double[] values, double[][] covariates, long firstStep) {

    public Series {
        if (covariates != null && covariates.length < values.length) {
            throw new IllegalArgumentException(id + ": covariates must cover every value");
        }
    }

    /** A series without covariates whose calendar starts at phase 0. */
    public static Series of(String id, double[] values) {
        return new Series(id, values, null, 0);
    }

    public int length() {
        return values.length;
    }

    public int covariateCount() {
        return covariates == null || covariates.length == 0 ? 0 : covariates[0].length;
    }

    /** The first {@code origin} values: what a forecast made at {@code origin} may see. */
    public double[] history(int origin) {
        return Arrays.copyOf(values, origin);
    }

    /**
     * The values from {@code origin} on, {@code horizon} of them: what a forecast made at {@code
     * origin} is scored on.
     */
    public double[] actuals(int origin, int horizon) {
        return Arrays.copyOfRange(values, origin, origin + horizon);
    }

    /** The same series without its covariates (to measure what they add). */
    public Series withoutCovariates() {
        return new Series(id, values, null, firstStep);
    }
}
