package dev.foreshadow.models.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class AccuracyTest {

    @Test
    void smapeIsTwoHundredTimesTheRelativeErrorOverTheMeanMagnitude() {
        // |100-110| / (210) * 200 = 9.5238..., perfect second step = 0
        assertThat(Accuracy.smape(new double[] {100, 50}, new double[] {110, 50}))
                .isCloseTo(4.7619, within(1e-4));
        assertThat(Accuracy.smape(new double[] {0}, new double[] {0})).isZero();
    }

    @Test
    void maseScalesTheMeanAbsoluteErrorByTheInSampleSeasonalNaiveError() {
        double[] history = {1, 2, 3, 2, 4, 5}; // lag-3 differences: 1, 2, 2 -> scale 5/3
        double scale = Accuracy.maseScale(history, 3);
        assertThat(scale).isCloseTo(5.0 / 3, within(1e-12));
        assertThat(Accuracy.mase(new double[] {4, 6}, new double[] {5, 5}, scale))
                .isCloseTo(0.6, within(1e-12));
    }

    @Test
    void owaOfNaive2ItselfIsOneAndHalvesWhenBothErrorsHalve() {
        assertThat(Accuracy.owa(18.383, 2.395, 18.383, 2.395)).isEqualTo(1.0);
        assertThat(Accuracy.owa(9.1915, 1.1975, 18.383, 2.395)).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void pinballLossWeighsUnderForecastsByTauAndOverForecastsByOneMinusTau() {
        assertThat(Accuracy.pinball(new double[] {10}, new double[] {8}, 0.9))
                .isCloseTo(1.8, within(1e-12));
        assertThat(Accuracy.pinball(new double[] {10}, new double[] {12}, 0.9))
                .isCloseTo(0.2, within(1e-12));
        assertThat(Accuracy.pinball(new double[] {10, 10}, new double[] {8, 12}, 0.5))
                .isCloseTo(1.0, within(1e-12));
    }

    @Test
    void coverageCountsActualsInsideTheIntervalEndsIncluded() {
        double[] actual = {1, 2, 3, 4};
        assertThat(Accuracy.coverage(actual, new double[] {0, 2, 4, 0}, new double[] {1, 3, 5, 3}))
                .isEqualTo(0.5);
    }

    @Test
    void rejectsForecastsOfAnotherLength() {
        assertThatThrownBy(() -> Accuracy.smape(new double[] {1, 2}, new double[] {1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("same");
    }
}
