package dev.foreshadow.models.demand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SelectionForecasterTest {

    static final long FIVE_MINUTES = 300_000;

    /** Two days and a half of 5-minute arrivals with a daily curve and an hourly burst. */
    private static double[] arrivals() {
        SplittableRandom r = new SplittableRandom(7);
        double[] y = new double[720];
        for (int t = 0; t < y.length; t++) {
            double day = Math.sin(2 * Math.PI * t / 288.0) + 1.2;
            y[t] = Math.max(0, Math.round(20 * day + 3 * r.nextGaussian() + (t % 12 == 0 ? 4 : 0)));
        }
        return y;
    }

    @Test
    void refittingAtEveryForecastIsWhatForStepDoes() {
        double[] y = arrivals();
        SelectionForecaster every = SelectionForecaster.forStep(FIVE_MINUTES);
        SelectionForecaster one = SelectionForecaster.forStep(FIVE_MINUTES, 1);
        for (int origin = 600; origin < 630; origin++) {
            double[] history = Arrays.copyOf(y, origin);
            assertThat(one.forecast("checkout", history, 12).p50())
                    .isEqualTo(every.forecast("checkout", history, 12).p50());
        }
    }

    @Test
    void betweenRefitsTheForecastsFollowTheNewStepsCloseToARefitAtEveryStep() {
        double[] y = arrivals();
        SelectionForecaster every = SelectionForecaster.forStep(FIVE_MINUTES);
        SelectionForecaster hourly = SelectionForecaster.forStep(FIVE_MINUTES, 12);
        double difference = 0;
        double level = 0;
        int differing = 0;
        for (int origin = 600; origin < 660; origin++) {
            double[] history = Arrays.copyOf(y, origin);
            ArrivalsForecast a = every.forecast("checkout", history, 12);
            ArrivalsForecast b = hourly.forecast("checkout", history, 12);
            assertThat(b.model()).isEqualTo(a.model());
            if (!Arrays.equals(a.p50(), b.p50())) {
                differing++;
            }
            for (int h = 0; h < 12; h++) {
                difference += Math.abs(a.p50()[h] - b.p50()[h]);
                level += a.p50()[h];
            }
        }
        assertThat(differing).as("forecasts that kept their parameters").isGreaterThan(40);
        assertThat(difference / level).as("mean relative difference").isLessThan(0.005);
    }

    @Test
    void choosesAgainEverySeasonOfForecastsOnceTheHistoryIsCutToItsWindow() {
        double[] y = arrivals();
        // the job's history: the last 200 steps at most, so its length stops growing
        SelectionForecaster windowed = new SelectionForecaster(12, 0, 200, 12);
        java.util.Set<String> reasons = new java.util.HashSet<>();
        for (int origin = 400; origin < 448; origin++) {
            double[] window = Arrays.copyOfRange(y, origin - 200, origin);
            reasons.add(windowed.forecast("checkout", window, 12).why());
        }
        // chosen at the first forecast and again every 12: four backtests on different folds
        assertThat(reasons).hasSizeGreaterThan(1);
    }

    @Test
    void aLongerChoiceIntervalKeepsOneChoiceForThatManyForecasts() {
        double[] y = arrivals();
        // the same window as above, the model chosen every four seasons instead of every one
        SelectionForecaster daily = new SelectionForecaster(12, 0, 200, 12, 48);
        java.util.Set<String> reasons = new java.util.HashSet<>();
        for (int origin = 400; origin < 448; origin++) {
            double[] window = Arrays.copyOfRange(y, origin - 200, origin);
            reasons.add(daily.forecast("checkout", window, 12).why());
        }
        assertThat(reasons).hasSize(1);
        assertThatThrownBy(() -> new SelectionForecaster(12, 0, 200, 12, 6))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void forecastingAnOriginAgainNeitherRefitsNorCountsAsAForecast() {
        double[] y = arrivals();
        SelectionForecaster once = SelectionForecaster.forStep(FIVE_MINUTES, 12);
        SelectionForecaster twice = SelectionForecaster.forStep(FIVE_MINUTES, 12);
        // a revision at every other origin: counted, it would move the refits (every 12
        // forecasts) to other origins, and the forecasts between them with it
        for (int origin = 600; origin < 660; origin++) {
            double[] history = Arrays.copyOf(y, origin);
            ArrivalsForecast a = once.forecast("checkout", history, 12);
            ArrivalsForecast b = twice.forecast("checkout", history, 12);
            if (origin % 2 == 0) {
                assertThat(twice.forecast("checkout", history, 12).p50()).isEqualTo(b.p50());
            }
            assertThat(b.p50()).as("origin %d", origin).isEqualTo(a.p50());
            assertThat(b.why()).isEqualTo(a.why());
        }
    }
}
