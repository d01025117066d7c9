package dev.foreshadow.models.demand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.foreshadow.models.demand.SimilarTypesPrior.Donor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The prior from similar types on cycles of 24 slots whose right answers are known. */
class SimilarTypesPriorTest {

    private static final int SLOTS = 24;

    /** A busy-by-day cycle: 1 + sin over the day, {@code level} runs per slot on average. */
    private static double[] daytime(double level) {
        double[] c = new double[SLOTS];
        for (int j = 0; j < SLOTS; j++) {
            c[j] = level * (1 + 0.9 * Math.sin(2 * Math.PI * (j - 6) / SLOTS));
        }
        return c;
    }

    /** The opposite cycle: busy at night. */
    private static double[] nighttime(double level) {
        double[] c = daytime(level);
        double[] out = new double[SLOTS];
        for (int j = 0; j < SLOTS; j++) {
            out[j] = c[(j + SLOTS / 2) % SLOTS];
        }
        return out;
    }

    private static final ArrivalsForecaster OWN =
            (type, history, horizon) ->
                    new ArrivalsForecast(
                            new double[horizon],
                            new double[horizon],
                            new double[horizon],
                            "snaive",
                            "its own");

    private static final List<Donor> SHOP =
            List.of(
                    new Donor("shop\u0000orders", "shop/orders", daytime(10)),
                    new Donor("shop\u0000returns", "shop/returns", daytime(50)),
                    new Donor("shop\u0000search", "shop/search", daytime(3)),
                    new Donor("shop\u0000batch", "shop/batch", nighttime(20)));

    @Test
    void aNewTypeFollowsTheShapeOfItsClosestTypesScaledToItsOwnRuns() {
        // the new type had the first 8 slots of the daytime cycle at 2 runs per slot on average
        double[] history = java.util.Arrays.copyOf(daytime(2), 8);
        SimilarTypesPrior prior = new SimilarTypesPrior(OWN, 24, 0, type -> SHOP);

        ArrivalsForecast f = prior.forecast("shop\u0000gifts", history, 6);

        assertThat(f.model()).isEqualTo("prior");
        assertThat(f.why())
                .contains("shop/orders", "shop/returns", "shop/search")
                .doesNotContain("shop/batch");
        double[] expected = daytime(2);
        for (int h = 0; h < 6; h++) {
            assertThat(f.p50()[h]).isCloseTo(expected[8 + h], within(1e-9));
            // wider than a Poisson count: the level rests on the runs seen
            assertThat(f.variance(h)).isGreaterThan(f.mean(h));
        }
    }

    @Test
    void theCycleIsReadAtTheAbsoluteSlotOfTheFirstStep() {
        // history starting at slot 12 (the night of the daytime cycle): closest is the night type
        double[] history = java.util.Arrays.copyOfRange(nighttime(4), 0, 6);
        SimilarTypesPrior prior = new SimilarTypesPrior(OWN, 24, 12, type -> SHOP);

        ArrivalsForecast f = prior.forecast("shop\u0000gifts", history, 1);

        // nighttime(j) = daytime(j + 12): slots 12..17 of the day are the daytime cycle's 0..5
        assertThat(f.why()).startsWith("prior from similar types shop/orders");
        assertThat(f.p50()[0]).isCloseTo(daytime(4)[18 % SLOTS], within(1e-9));
    }

    @Test
    void withNoSimilarTypeTheTypesOwnForecasterStays() {
        SimilarTypesPrior prior = new SimilarTypesPrior(OWN, 24, 0, type -> List.of());

        assertThat(prior.forecast("shop\u0000gifts", new double[] {1, 2}, 3).model())
                .isEqualTo("snaive");
    }

    @Test
    void aTypeWithEnoughHistoryForecastsFromItsOwn() {
        SimilarTypesPrior prior = new SimilarTypesPrior(OWN, 24, 0, type -> SHOP);

        assertThat(prior.forecast("shop\u0000gifts", daytime(2), 3).model()).isEqualTo("snaive");
    }

    @Test
    void aTypeIsNeverItsOwnDonor() {
        List<Donor> onlyItself = List.of(new Donor("shop\u0000gifts", "shop/gifts", daytime(2)));
        SimilarTypesPrior prior = new SimilarTypesPrior(OWN, 24, 0, type -> onlyItself);

        assertThat(prior.forecast("shop\u0000gifts", new double[] {1, 2}, 3).model())
                .isEqualTo("snaive");
    }
}
