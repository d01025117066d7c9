package dev.foreshadow.models.forecast;

import java.util.SplittableRandom;

/** Synthetic series with known structure, for tests. */
final class Synthetic {

    private Synthetic() {}

    /** {@code level + amplitude sin(2 pi (t + phase) / period) + N(0, noise^2)}. */
    static double[] sine(
            int length,
            double level,
            double amplitude,
            int period,
            int phase,
            double noise,
            long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] y = new double[length];
        for (int t = 0; t < length; t++) {
            y[t] =
                    level
                            + amplitude * Math.sin(2 * Math.PI * (t + phase) / period)
                            + noise * gaussian(random);
        }
        return y;
    }

    static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
