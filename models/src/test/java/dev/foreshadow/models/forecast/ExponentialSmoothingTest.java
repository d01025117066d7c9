package dev.foreshadow.models.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.foreshadow.models.forecast.ExponentialSmoothing.Seasonality;
import dev.foreshadow.models.forecast.ExponentialSmoothing.Trend;
import dev.foreshadow.models.metrics.Accuracy;
import java.util.List;
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
    void keepingTheParametersFiltersTheNewStepsWithTheLastFitsParameters() {
        double[] y = simulateAna(600, 0.3, 0.15, 12, 13);
        Series series = Series.of("visits", y);
        ExponentialSmoothing model =
                new ExponentialSmoothing(Trend.DAMPED, Seasonality.ADDITIVE, 12, 0, false);
        model.forecast(series, 500, 12);
        double[] point = model.lastFitOf("visits", 12).clone();

        Forecast kept = model.forecastKeepingParameters(series, 512, 12);

        ExponentialSmoothing.Spec spec =
                new ExponentialSmoothing.Spec(Trend.DAMPED, Seasonality.ADDITIVE, 12, 0);
        double[] history = series.history(512);
        Forecast filtered =
                ExponentialSmoothing.filter(
                                history,
                                spec,
                                ExponentialSmoothing.State.initial(history, spec),
                                point)
                        .forecast(12);
        assertThat(model.lastFitOf("visits", 12)).isEqualTo(point);
        assertThat(kept.p50()).isEqualTo(filtered.p50());
        assertThat(kept.p90()).isEqualTo(filtered.p90());
        Forecast refitted = model.forecast(series, 512, 12);
        assertThat(refitted.p50()).as("a refit moves the parameters").isNotEqualTo(kept.p50());
    }

    @Test
    void keepingTheParametersOfASeriesNeverFittedFitsIt() {
        double[] y = simulateAna(600, 0.3, 0.15, 12, 17);
        Series series = Series.of("visits", y);

        Forecast kept =
                new ExponentialSmoothing(Trend.DAMPED, Seasonality.ADDITIVE, 12, 0, false)
                        .forecastKeepingParameters(series, 512, 12);

        Forecast fitted =
                new ExponentialSmoothing(Trend.DAMPED, Seasonality.ADDITIVE, 12, 0, false)
                        .forecast(series, 512, 12);
        assertThat(kept.p50()).isEqualTo(fitted.p50());
    }

    /**
     * The criterion and the filter as the formulas read (seasonal indices {@code t % m}, the
     * damping and AR(1) factors multiplied out at each origin): what {@link
     * ExponentialSmoothing.Spec#run} computes with its indices stepped and its factors computed
     * once, in the same order.
     */
    private static double direct(
            ExponentialSmoothing.Spec spec,
            double[] y,
            double[] p,
            ExponentialSmoothing.State initial,
            ExponentialSmoothing.State end,
            ExponentialSmoothing.Objective criterion) {
        double alpha = p[0], beta = p[1], phi = p[2], gamma = p[3], gamma2 = p[4], ar = p[5];
        int m = spec.m();
        int m2 = spec.m2();
        boolean multiplicative = spec.seasonality() == Seasonality.MULTIPLICATIVE;
        boolean seasonal1 = spec.seasonality() != Seasonality.NONE;
        double level = initial.level;
        double slope = initial.slope;
        double[] s1 = initial.season.clone();
        double[] s2 = initial.season2.clone();
        double lastError = 0;
        double sse = 0;
        double absolute = 0;
        long count = 0;
        int n = y.length;
        for (int t = 0; t < n; t++) {
            double base = level + phi * slope;
            double seasonal = seasonal1 ? s1[t % m] : (multiplicative ? 1 : 0);
            double fitted =
                    multiplicative ? base * seasonal : base + seasonal + (m2 > 0 ? s2[t % m2] : 0);
            fitted += ar * lastError;
            double e = y[t] - fitted;
            if (!Double.isFinite(e)) {
                return Double.MAX_VALUE;
            }
            sse += e * e;
            if (criterion != null && t >= criterion.from() && (n - t) % criterion.stride() == 0) {
                double phiSum = 0;
                double phiPower = 1;
                double arPower = 1;
                for (int h = 0; h < criterion.horizon() && t + h < n; h++) {
                    phiPower *= phi;
                    phiSum += phiPower;
                    arPower *= ar;
                    int u = t + h;
                    double b = level + phiSum * slope;
                    double f =
                            multiplicative
                                    ? b * s1[u % m]
                                    : b + (seasonal1 ? s1[u % m] : 0) + (m2 > 0 ? s2[u % m2] : 0);
                    absolute += Math.abs(y[u] - f - arPower * lastError);
                    count++;
                }
            }
            if (multiplicative) {
                level = base + alpha * e / seasonal;
                slope = phi * slope + beta * e / seasonal;
                s1[t % m] = seasonal + gamma * e / base;
            } else {
                level = base + alpha * e;
                slope = phi * slope + beta * e;
                if (seasonal1) {
                    s1[t % m] = seasonal + gamma * e;
                }
                if (m2 > 0) {
                    s2[t % m2] = s2[t % m2] + gamma2 * e;
                }
            }
            lastError = e;
        }
        if (end != null) {
            end.level = level;
            end.slope = slope;
            end.season = s1;
            end.season2 = s2;
            end.lastError = lastError;
        }
        return criterion == null ? sse : count > 0 ? absolute / count : Double.MAX_VALUE;
    }

    @Test
    void theFilterComputesTheCriterionAndStatesOfTheDirectFormulasBitForBit() {
        double[] y = new double[3 * 168 + 29];
        SplittableRandom random = new SplittableRandom(3);
        for (int t = 0; t < y.length; t++) {
            y[t] = 20 + 8 * Math.sin(2 * Math.PI * t / 24) + 3 * Math.sin(2 * Math.PI * t / 168);
            y[t] += 2 * Synthetic.gaussian(random) + 0.01 * t;
        }
        List<ExponentialSmoothing.Spec> specs =
                List.of(
                        new ExponentialSmoothing.Spec(Trend.DAMPED, Seasonality.ADDITIVE, 24, 0),
                        new ExponentialSmoothing.Spec(Trend.NONE, Seasonality.ADDITIVE, 24, 168),
                        new ExponentialSmoothing.Spec(
                                Trend.DAMPED, Seasonality.MULTIPLICATIVE, 24, 0),
                        new ExponentialSmoothing.Spec(Trend.ADDITIVE, Seasonality.NONE, 24, 0),
                        new ExponentialSmoothing.Spec(Trend.DAMPED, Seasonality.ADDITIVE, 7, 0));
        // horizons shorter and longer than the seasons, one step (no criterion: least squares)
        for (ExponentialSmoothing.Spec spec : specs) {
            for (int horizon : new int[] {1, 5, 24, 48, 200}) {
                ExponentialSmoothing.State initial = ExponentialSmoothing.State.initial(y, spec);
                ExponentialSmoothing.Objective criterion =
                        ExponentialSmoothing.Objective.of(y.length, horizon, spec);
                for (int k = 0; k < 20; k++) {
                    double[] point = new double[spec.dimension()];
                    for (int i = 0; i < point.length; i++) {
                        point[i] = 4 * random.nextDouble() - 2;
                    }
                    double[] p = spec.parameters(point);
                    ExponentialSmoothing.State expectedEnd = initial.copy();
                    ExponentialSmoothing.State end = initial.copy();
                    double expected = direct(spec, y, p, initial, expectedEnd, criterion);
                    double actual = spec.run(y, p, initial, end, criterion);
                    String what = spec + " h=" + horizon;
                    assertThat(Double.doubleToLongBits(actual))
                            .as(what)
                            .isEqualTo(Double.doubleToLongBits(expected));
                    assertThat(end.level).as(what).isEqualTo(expectedEnd.level);
                    assertThat(end.slope).as(what).isEqualTo(expectedEnd.slope);
                    assertThat(end.lastError).as(what).isEqualTo(expectedEnd.lastError);
                    assertThat(end.season).as(what).containsExactly(expectedEnd.season);
                    assertThat(end.season2).as(what).containsExactly(expectedEnd.season2);
                }
            }
        }
    }

    @Test
    void namesRoundTripThroughTheRegistry() {
        for (ForecastModel m :
                Models.localCandidates(
                        new Seasons(24, 168, java.util.List.of(24, 168), "hourly"))) {
            assertThat(Models.byName(m.name()).name()).isEqualTo(m.name());
        }
    }

    /** FPP2's austourists, 2005 Q1 to 2015 Q4: international visitor nights in Australia (m). */
    private static final double[] AUSTRALIAN_VISITOR_NIGHTS = {
        42.20566, 24.64917, 32.66734, 37.25735, 45.24246, 29.35048, 36.34421, 41.78208, 49.27660,
        31.27540, 37.85063, 38.83704, 51.23690, 31.83855, 41.32342, 42.79900, 55.70836, 33.40714,
        42.31664, 45.15712, 59.57608, 34.83733, 44.84168, 46.97125, 60.01903, 38.37118, 46.97586,
        50.73380, 61.64687, 39.29957, 52.67121, 54.33232, 66.83436, 40.87119, 51.82854, 57.49191,
        65.25147, 43.06121, 54.76076, 59.83447, 73.25703, 47.69662, 61.09777, 66.05576
    };

    @Test
    void reproducesTheTextbookHoltWintersFitOfAustralianVisitorNights() {
        // Hyndman & Athanasopoulos, FPP 2nd ed., section 7.3, table 7.3: additive Holt-Winters,
        // alpha 0.3063, beta* 0.0001, gamma 0.4263, l0 32.2597, b0 0.7014, s0..s-3 1.3106,
        // -1.6935, -9.3132, 9.6962, RMSE 1.7630; our beta is alpha beta* (error-correction form)
        double[] y = AUSTRALIAN_VISITOR_NIGHTS;
        ExponentialSmoothing.Spec spec =
                new ExponentialSmoothing.Spec(Trend.ADDITIVE, Seasonality.ADDITIVE, 4, 0);
        ExponentialSmoothing.State published = new ExponentialSmoothing.State();
        published.level = 32.2597;
        published.slope = 0.7014;
        published.season = new double[] {9.6962, -9.3132, -1.6935, 1.3106};
        published.season2 = new double[1];
        double[] parameters = {0.3063, 0.3063 * 0.0001, 1, 0.4263, 0, 0};

        double sse = spec.run(y, parameters, published, null, null);

        assertThat(Math.sqrt(sse / y.length)).isCloseTo(1.7630, within(0.001));
        // our own fit starts from the first seasons instead of estimating the initial states as
        // the book does, and lands near the published smoothing parameters
        ExponentialSmoothing.Fit fit =
                ExponentialSmoothing.fit(y, Trend.ADDITIVE, Seasonality.ADDITIVE, 4, 0);
        double ours =
                spec.run(
                        y,
                        fit.parameters(),
                        ExponentialSmoothing.State.initial(y, spec),
                        null,
                        null);
        assertThat(fit.alpha()).isCloseTo(0.3063, within(0.05));
        assertThat(fit.gamma()).isCloseTo(0.4263, within(0.05));
        assertThat(Math.sqrt(ours / y.length)).isLessThan(1.1 * 1.7630);
    }

    private static List<double[]> m4HourlyTraining() throws Exception {
        return M4HourlyReferenceTest.read(
                M4HourlyReferenceTest.dataDir().resolve("m4/Dataset/Train/Hourly-train.csv"));
    }

    @Test
    void aOneStepFitFollowsTheCurveOfTheDayWithItsLevelAndSlope() throws Exception {
        // M4 H171 (hourly, 960 values), forecast over its last 48 training values
        double[] y = m4HourlyTraining().get(170);
        double[] history = java.util.Arrays.copyOf(y, y.length - 48);
        double[] actual = java.util.Arrays.copyOfRange(y, y.length - 48, y.length);
        ExponentialSmoothing.Spec spec =
                new ExponentialSmoothing.Spec(Trend.DAMPED, Seasonality.ADDITIVE, 24, 0);

        ExponentialSmoothing.Fit oneStep = ExponentialSmoothing.fit(history, spec, 1, null);
        ExponentialSmoothing.Fit twoDays = ExponentialSmoothing.fit(history, spec, 48, null);

        // one step ahead, a level and a slope that follow the curve look best, and extrapolating
        // the slope of the hour two days ahead misses by far more than the fit for two days
        assertThat(oneStep.alpha()).isGreaterThan(0.9);
        assertThat(oneStep.beta()).isGreaterThan(0.9);
        double scale = Accuracy.maseScale(history, 24);
        double oneStepMase = Accuracy.mase(actual, oneStep.forecast(48).p50(), scale);
        double twoDaysMase = Accuracy.mase(actual, twoDays.forecast(48).p50(), scale);
        assertThat(twoDaysMase).isLessThan(oneStepMase / 5);
    }

    @Test
    void onM4HourlyTheFitForTheHorizonBeatsSeasonalNaiveWhereTheOneStepFitLoses() throws Exception {
        // every fourth M4 Hourly series, forecast over its last 48 training values
        List<double[]> series = m4HourlyTraining();
        ExponentialSmoothing.Spec spec =
                new ExponentialSmoothing.Spec(Trend.DAMPED, Seasonality.ADDITIVE, 24, 0);
        double[] mase = new double[3];
        int count = 0;
        for (int i = 0; i < series.size(); i += 4) {
            double[] y = series.get(i);
            double[] history = java.util.Arrays.copyOf(y, y.length - 48);
            double[] actual = java.util.Arrays.copyOfRange(y, y.length - 48, y.length);
            double scale = Accuracy.maseScale(history, 24);
            mase[0] +=
                    Accuracy.mase(actual, new SeasonalNaive(24).forecast(history, 48).p50(), scale);
            mase[1] +=
                    Accuracy.mase(
                            actual,
                            ExponentialSmoothing.fit(history, spec, 1, null).forecast(48).p50(),
                            scale);
            mase[2] +=
                    Accuracy.mase(
                            actual,
                            ExponentialSmoothing.fit(history, spec, 48, null).forecast(48).p50(),
                            scale);
            count++;
        }
        double snaive = mase[0] / count;
        assertThat(mase[1] / count).isGreaterThan(1.5 * snaive);
        assertThat(mase[2] / count).isLessThan(0.9 * snaive);
    }
}
