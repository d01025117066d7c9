package dev.foreshadow.jobs.shadow.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foreshadow.models.demand.ArrivalsForecast;
import dev.foreshadow.models.demand.SelectionForecaster;
import dev.foreshadow.models.domain.WorkloadKey;
import dev.foreshadow.models.forecast.Forecast;
import dev.foreshadow.models.forecast.ForecastModel;
import dev.foreshadow.models.forecast.Models;
import dev.foreshadow.models.forecast.Series;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegisteredForecasterTest {

    static final String CHECKOUT = WorkloadKey.ofType("shop", "checkout").encoded();

    private static RegisteredForecaster forecaster() {
        RegisteredForecaster f =
                new RegisteredForecaster(SelectionForecaster.forStep(300_000), 12, 16_128);
        f.use(
                Map.of(
                        "checkout",
                        new RegisteredModels.Registered("snaive6", 3, Models.byName("snaive6"))));
        return f;
    }

    private static double[] steps(int n) {
        double[] h = new double[n];
        Arrays.setAll(h, i -> 10 + i % 3);
        return h;
    }

    @Test
    void aTypeWithTwoSeasonsOfHistoryIsForecastWithItsRegisteredVersion() {
        RegisteredForecaster f = forecaster();
        ArrivalsForecast out = f.forecast(CHECKOUT, steps(24), 6);

        assertThat(out.model()).isEqualTo("snaive6");
        assertThat(out.why()).startsWith("registered version 3");
        assertThat(f.version(CHECKOUT, out.model(), out.why())).isEqualTo(3);
    }

    @Test
    void aShorterHistoryIsForecastByTheJobsOwnChoiceEvenWithARegisteredVersion() {
        RegisteredForecaster f = forecaster();
        ArrivalsForecast out = f.forecast(CHECKOUT, steps(23), 6);

        assertThat(out.model()).isEqualTo("snaive12");
        assertThat(out.why()).contains("too little history");
        assertThat(f.version(CHECKOUT, out.model(), out.why())).isZero();
    }

    @Test
    void aRegisteredVersionThatFailsOnTheHistoryLeavesTheJobsOwnChoiceAndSaysSo() {
        RegisteredForecaster f =
                new RegisteredForecaster(SelectionForecaster.forStep(300_000), 12, 16_128);
        f.use(
                Map.of(
                        "checkout",
                        new RegisteredModels.Registered(
                                "broken",
                                4,
                                new ForecastModel() {
                                    @Override
                                    public String name() {
                                        return "broken";
                                    }

                                    @Override
                                    public Forecast forecast(Series s, int origin, int horizon) {
                                        throw new IllegalStateException("no fit");
                                    }
                                })));
        ArrivalsForecast out = f.forecast(CHECKOUT, steps(24), 6);

        assertThat(out.model()).isEqualTo("snaive12");
        assertThat(out.why()).endsWith("(registered version 4 failed: no fit)");
        assertThat(f.version(CHECKOUT, out.model(), out.why())).isZero();
    }

    @Test
    void aTypeWithoutARegisteredVersionIsForecastByTheJobsOwnChoice() {
        ArrivalsForecast out =
                forecaster().forecast(WorkloadKey.ofType("shop", "mail").encoded(), steps(24), 6);

        assertThat(out.why()).doesNotStartWith("registered");
    }
}
