package dev.foreshadow.models.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SeasonalNaiveTest {

    private static final double[] PURE_SEASON = {3, 1, 4, 1, 5, 9, 2};

    @Test
    void isExactOnAPureSeasonOverSeveralSeasonsAhead() {
        double[] history = repeat(PURE_SEASON, 5);
        double[] future = repeat(PURE_SEASON, 3);
        Forecast f = new SeasonalNaive(7).forecast(history, 21);
        assertThat(f.p50()).containsExactly(future);
        // a pure season has no seasonal error: the interval collapses onto the forecast
        assertThat(f.p10()).containsExactly(future);
        assertThat(f.p90()).containsExactly(future);
    }

    @Test
    void continuesTheSeasonFromAnyPhase() {
        double[] history = java.util.Arrays.copyOf(repeat(PURE_SEASON, 4), 26); // ends mid-season
        Forecast f = new SeasonalNaive(7).forecast(history, 4);
        assertThat(f.p50())
                .containsExactly(
                        PURE_SEASON[26 % 7],
                        PURE_SEASON[27 % 7],
                        PURE_SEASON[28 % 7],
                        PURE_SEASON[29 % 7]);
    }

    @Test
    void intervalsWidenWithEachSeasonLookedBack() {
        double[] noisy = Synthetic.sine(24 * 10, 50, 10, 24, 0, 2, 7);
        Forecast f = new SeasonalNaive(24).forecast(noisy, 48);
        double width1 = f.p90()[0] - f.p10()[0];
        double width2 = f.p90()[30] - f.p10()[30];
        assertThat(width2)
                .isCloseTo(width1 * Math.sqrt(2), org.assertj.core.api.Assertions.within(1e-9));
    }

    static double[] repeat(double[] season, int times) {
        double[] out = new double[season.length * times];
        for (int i = 0; i < out.length; i++) {
            out[i] = season[i % season.length];
        }
        return out;
    }
}
