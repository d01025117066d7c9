package dev.foreshadow.models.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SeasonalMedianTest {

    @Test
    void ignoresABurstInOneOfTheLastFiveSeasons() {
        double[] season = {3, 1, 4, 1, 5, 9, 2};
        double[] history = SeasonalNaiveTest.repeat(season, 6);
        history[history.length - 3] = 100; // one burst in the last season

        Forecast f = new SeasonalMedian(7).forecast(history, 7);

        assertThat(f.p50()).containsExactly(season);
        assertThat(new SeasonalNaive(7).forecast(history, 7).p50()[4]).isEqualTo(100);
    }

    @Test
    void takesTheMedianOfTheSamePhaseInTheLastSeasons() {
        // phase 0 of the last five seasons is 1, 2, 3, 4, 5 (oldest first), phase 1 always 10
        double[] history = new double[2 * 6];
        for (int c = 0; c < 6; c++) {
            history[2 * c] = c;
            history[2 * c + 1] = 10;
        }

        Forecast f = new SeasonalMedian(2).forecast(history, 4);

        assertThat(f.p50()).containsExactly(3, 10, 3, 10);
    }

    @Test
    void itsIntervalHoldsTheMedianAndWidensWithTheSeasonsLookedBack() {
        double[] noisy = Synthetic.sine(24 * 30, 50, 10, 24, 0, 2, 7);

        Forecast f = new SeasonalMedian(24).forecast(noisy, 48);

        for (int h = 0; h < 48; h++) {
            assertThat(f.p10()[h]).isLessThan(f.p50()[h]);
            assertThat(f.p90()[h]).isGreaterThan(f.p50()[h]);
        }
        assertThat(f.p90()[30] - f.p10()[30]).isGreaterThan(f.p90()[0] - f.p10()[0]);
    }

    @Test
    void itsQuantilesBySelectionAreThoseOfTheSortedValues() {
        Random random = new Random(5);
        for (int trial = 0; trial < 500; trial++) {
            double[] values = new double[1 + random.nextInt(300)];
            for (int i = 0; i < values.length; i++) {
                // many ties, as counts of runs have
                values[i] = trial % 2 == 0 ? random.nextInt(6) - 2 : random.nextGaussian();
            }
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            for (double q : new double[] {0, 0.1, 0.5, 0.9, 1}) {
                double position = q * (sorted.length - 1);
                int lower = (int) Math.floor(position);
                int upper = Math.min(sorted.length - 1, lower + 1);
                double expected =
                        sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
                assertThat(SeasonalMedian.quantile(values.clone(), q))
                        .as("trial %d, q %s", trial, q)
                        .isEqualTo(expected);
            }
        }
    }
}
