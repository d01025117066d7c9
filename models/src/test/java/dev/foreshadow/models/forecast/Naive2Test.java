package dev.foreshadow.models.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class Naive2Test {

    @Test
    void detectsSeasonalityOnlyWhenTheSeasonalAutocorrelationIsSignificant() {
        assertThat(Seasons.confirmed(Synthetic.sine(24 * 10, 100, 20, 24, 0, 1, 1), 24)).isTrue();
        assertThat(Seasons.confirmed(Synthetic.sine(24 * 10, 100, 0, 24, 0, 1, 1), 24)).isFalse();
        assertThat(Seasons.confirmed(Synthetic.sine(24 * 2, 100, 20, 24, 0, 1, 1), 24))
                .isFalse(); // under 3 seasons
    }

    @Test
    void repeatsTheLastDeseasonalisedValueTimesTheSeasonalIndex() {
        double[] season = {0.5, 1.0, 1.5};
        double[] y = new double[30];
        for (int t = 0; t < y.length; t++) {
            y[t] = 10 * season[t % 3];
        }
        assertThat(Naive2.multiplicativeIndices(y, 3))
                .containsExactly(new double[] {0.5, 1.0, 1.5}, within(1e-12));
        Forecast f = new Naive2(3).forecast(y, 3);
        assertThat(f.p50()).containsExactly(new double[] {5, 10, 15}, within(1e-9));
    }
}
