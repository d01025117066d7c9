package dev.foreshadow.models.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.foreshadow.models.forecast.ExponentialSmoothing.Seasonality;
import dev.foreshadow.models.forecast.ExponentialSmoothing.Trend;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ExponentialSmoothingTest {

    /** Simulates ETS(A,N,A): level and seasonal states driven by the same Gaussian innovations. */
    private static double[] simulateAna(int n, double alpha, double gamma, int m, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double level = 100;
        double[] season = new double[m];
        for (int j = 0; j < m; j++) {
            season[j] = 10 * Math.sin(2 * Math.PI * j / m);
        }
        double[] y = new double[n];
        for (int t = 0; t < n; t++) {
            double e = Synthetic.gaussian(random);
            y[t] = level + season[t % m] + e;
            level += alpha * e;
            season[t % m] += gamma * e;
        }
        return y;
    }

    @Test
    void recoversTheSmoothingParametersOfASimulatedSeasonalSeries() {
        double[] y = simulateAna(3000, 0.3, 0.15, 12, 11);
        ExponentialSmoothing.Fit fit =
                ExponentialSmoothing.fit(y, Trend.NONE, Seasonality.ADDITIVE, 12, 0);
        assertThat(fit.alpha()).isCloseTo(0.3, within(0.05));
        assertThat(fit.gamma()).isCloseTo(0.15, within(0.07));
        assertThat(fit.sigma()).isCloseTo(1.0, within(0.1));
    }

    @Test
    void recoversALowAlphaOnANearlyConstantLevel() {
        double[] y = simulateAna(3000, 0.05, 0.02, 4, 5);
        ExponentialSmoothing.Fit fit =
                ExponentialSmoothing.fit(y, Trend.NONE, Seasonality.ADDITIVE, 4, 0);
        assertThat(fit.alpha()).isCloseTo(0.05, within(0.03));
    }

    @Test
    void extrapolatesAnExactLinearTrend() {
        double[] y = new double[100];
        for (int t = 0; t < y.length; t++) {
            y[t] = 5 + 2 * t;
        }
        Forecast f =
                new ExponentialSmoothing(Trend.ADDITIVE, Seasonality.NONE, 1, 0, false)
                        .forecast(y, 10);
        for (int h = 0; h < 10; h++) {
            assertThat(f.p50()[h]).isCloseTo(5 + 2 * (100 + h), within(0.5));
        }
    }

    @Test
    void doubleSeasonalModelForecastsDailyAndWeeklyPatterns() {
        int n = 168 * 6;
        double[] y = new double[n + 48];
        for (int t = 0; t < y.length; t++) {
            y[t] =
                    100
                            + 20 * Math.sin(2 * Math.PI * t / 24)
                            + (t % 168 >= 120 ? -30 : 0); // weekends are quieter
        }
        double[] history = java.util.Arrays.copyOf(y, n);
        Forecast f =
                new ExponentialSmoothing(Trend.NONE, Seasonality.ADDITIVE, 24, 168, false)
                        .forecast(history, 48);
        for (int h = 0; h < 48; h++) {
            assertThat(f.p50()[h]).isCloseTo(y[n + h], within(1.0));
        }
    }

    @Test
    void logModelKeepsForecastsPositiveAndProportionalToTheLevel() {
        double[] y = new double[24 * 20];
        for (int t = 0; t < y.length; t++) {
            y[t] = (10 + t * 0.05) * (1 + 0.5 * Math.sin(2 * Math.PI * t / 24));
        }
        Forecast f =
                new ExponentialSmoothing(Trend.DAMPED, Seasonality.ADDITIVE, 24, 0, true)
                        .forecast(y, 24);
        for (int h = 0; h < 24; h++) {
            double truth =
                    (10 + (y.length + h) * 0.05)
                            * (1 + 0.5 * Math.sin(2 * Math.PI * (y.length + h) / 24));
            assertThat(f.p50()[h]).isPositive().isCloseTo(truth, within(0.05 * truth + 0.2));
        }
    }

    @Test
    void namesRoundTripThroughTheRegistry() {
        for (ForecastModel m : Models.localCandidates(24, 168)) {
            assertThat(Models.byName(m.name()).name()).isEqualTo(m.name());
        }
    }
}
