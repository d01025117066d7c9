package dev.foreshadow.models.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeployRuleTest {

    private static final Duration HOUR = Duration.ofHours(1);

    /** Hourly seasons, as the step and a strongly daily history imply. */
    private static final Seasons DAILY =
            Seasons.of(HOUR, null, null, List.of(Synthetic.sine(24 * 10, 100, 20, 24, 0, 1, 1)));

    @Test
    void deploysSeasonalNaiveAloneOnAPureSeasonBecauseNothingBeatsItsZeroBacktestError() {
        double[] season = new double[24];
        for (int j = 0; j < 24; j++) {
            season[j] = j % 5 == 0 ? 50 : 5 + j;
        }
        Series s = Series.of("pure", SeasonalNaiveTest.repeat(season, 20));
        DeployRule rule = DeployRule.of(DAILY, 24, null);

        DeployRule.Decision decision = rule.decide(s);

        assertThat(decision.backtest().get("snaive24").mase()).isZero();
        assertThat(decision.model()).isEqualTo("snaive24");
        assertThat(decision.reason()).startsWith("snaive24: no candidate beat the best simple");
        assertThat(decision.forecast().p50()).containsExactly(season);
    }

    @Test
    void combinesTheCandidatesThatBeatTheBaselineWithWeightsFallingWithTheirSquaredError() {
        Series s = Series.of("sine", Synthetic.sine(24 * 30, 100, 20, 24, 0, 6, 5));
        DeployRule rule = DeployRule.of(DAILY, 24, null);
        List<DeployRule.Fold> folds = rule.backtest(s, s.length());
        Map<String, Backtest.Score> scores = rule.scores(s, folds);

        Combination chosen = rule.choose(s, folds);

        assertThat(chosen.members().size()).isGreaterThan(1);
        double total = chosen.members().stream().mapToDouble(Combination.Member::weight).sum();
        assertThat(total).isCloseTo(1, within(1e-12));
        Combination.Member first = chosen.members().get(0);
        for (Combination.Member m : chosen.members()) {
            assertThat(rule.baselines()).doesNotContain(m.name());
            double expected =
                    Math.pow(scores.get(first.name()).mase() / scores.get(m.name()).mase(), 2);
            assertThat(m.weight() / first.weight()).isCloseTo(expected, within(1e-6));
        }
        assertThat(chosen.reason()).contains("beat the best simple baseline");
    }

    @Test
    void aBacktestKeepingParametersFitsEachCandidateAtItsOldestFoldAndFiltersTheLaterOnes() {
        Series s = Series.of("sine", Synthetic.sine(24 * 30, 100, 20, 24, 0, 6, 5));
        DeployRule kept = DeployRule.of(DAILY, 24, null);
        DeployRule refitted = DeployRule.of(DAILY, 24, null);

        List<DeployRule.Fold> folds = kept.backtestKeepingParameters(s, s.length());
        List<DeployRule.Fold> every = refitted.backtest(s, s.length());

        DeployRule alone = DeployRule.of(DAILY, 24, null);
        alone.forecastAll(s, folds.get(0).origin());
        ExponentialSmoothing ets = (ExponentialSmoothing) kept.model("ets-ad-a24");
        ExponentialSmoothing fittedOnce = (ExponentialSmoothing) alone.model("ets-ad-a24");
        // the parameters the later folds used are the ones fitted at the oldest fold, no later fit
        assertThat(ets.lastFitOf("sine", 24)).containsExactly(fittedOnce.lastFitOf("sine", 24));
        assertThat(folds).hasSameSizeAs(every);
        for (int k = 0; k < folds.size(); k++) {
            assertThat(folds.get(k).origin()).isEqualTo(every.get(k).origin());
            // models without parameters forecast as in the backtest that refits
            assertThat(folds.get(k).forecasts().get("smedian24").p50())
                    .containsExactly(every.get(k).forecasts().get("smedian24").p50());
        }
        assertThat(folds.get(0).forecasts().get("ets-ad-a24").p50())
                .containsExactly(every.get(0).forecasts().get("ets-ad-a24").p50());
        assertThat(folds.get(2).forecasts().get("ets-ad-a24").p50())
                .isNotEqualTo(every.get(2).forecasts().get("ets-ad-a24").p50());
    }

    @Test
    void rescalesAnIntervalSoThatTheBacktestHasOneActualInTenAboveItsP90() {
        // seasonal naive on a noisy season: its textbook interval is far too wide for this noise
        Series s = Series.of("noisy", Synthetic.sine(24 * 40, 100, 20, 24, 0, 4, 8));
        DeployRule rule = DeployRule.of(DAILY, 24, null);
        List<DeployRule.Fold> folds = rule.backtest(s, s.length());

        Combination chosen = rule.choose(s, folds);
        Combination.Member m = chosen.members().get(0);

        int above = 0;
        int count = 0;
        for (DeployRule.Fold f : folds) {
            Forecast x = f.forecasts().get(m.name());
            for (int h = 0; h < 24; h++) {
                double p90 = x.p50()[h] + m.upper() * (x.p90()[h] - x.p50()[h]);
                above += s.values()[f.origin() + h] > p90 ? 1 : 0;
                count++;
            }
        }
        assertThat((double) above / count).isBetween(0.05, 0.1);
    }

    @Test
    void aDecisionForecastsTheChosenCombinationOfTheCandidatesForecasts() {
        Series s = Series.of("sine", Synthetic.sine(24 * 20, 100, 20, 24, 0, 2, 5));
        DeployRule rule = DeployRule.of(DAILY, 24, null);

        DeployRule.Decision decision = rule.decide(s);

        // the same steps by an untouched rule (refits start from earlier fits)
        DeployRule again = DeployRule.of(DAILY, 24, null);
        Combination chosen = again.choose(s, again.backtest(s, s.length()));
        assertThat(decision.backtest()).containsOnlyKeys(rule.names());
        assertThat(decision.deployed().name()).isEqualTo(decision.model()).isEqualTo(chosen.name());
        assertThat(decision.forecast().p50())
                .containsExactly(chosen.combine(again.forecastAll(s, s.length())).p50());
    }

    @Test
    void aPlannerGetsAQuantileForecastAndItsReasonFromAHistoryAndItsStep() {
        // five-minute arrivals of one workflow type over three weeks, starting on a Monday
        double[] y = Synthetic.sine(288 * 21, 40, 25, 288, 0, 4, 12);
        Series arrivals =
                new Series(
                        "checkout",
                        y,
                        null,
                        java.time.Instant.parse("2026-11-02T00:00:00Z").getEpochSecond() / 300);

        DeployRule.Decision decision =
                DeployRule.forStep(Duration.ofMinutes(5), 12, List.of(y), null).decide(arrivals);

        assertThat(decision.forecast().horizon()).isEqualTo(12);
        assertThat(decision.reason()).startsWith(decision.model() + ":");
        for (int h = 0; h < 12; h++) {
            assertThat(decision.forecast().p10()[h])
                    .isLessThanOrEqualTo(decision.forecast().p50()[h]);
            assertThat(decision.forecast().p90()[h])
                    .isGreaterThanOrEqualTo(decision.forecast().p50()[h]);
        }
    }

    @Test
    void fallsBackToSeasonalNaiveAndSaysSoWhenTheHistoryIsTooShortForABacktest() {
        DeployRule rule = DeployRule.of(DAILY, 24, null);
        Series threeDays = Series.of("new", Synthetic.sine(72, 100, 20, 24, 0, 2, 5));
        Series halfADay = Series.of("newer", Synthetic.sine(12, 100, 20, 24, 0, 2, 5));

        DeployRule.Decision seasonal = rule.decide(threeDays);
        DeployRule.Decision naive = rule.decide(halfADay);

        assertThat(seasonal.model()).isEqualTo("snaive24");
        assertThat(seasonal.reason()).startsWith("seasonal naive: too little history");
        assertThat(seasonal.backtest()).isEmpty();
        assertThat(seasonal.forecast().p50()[0]).isEqualTo(threeDays.values()[48]);
        assertThat(naive.model()).isEqualTo("naive");
        assertThat(naive.forecast().p50()).containsOnly(halfADay.values()[11]);
    }

    @Test
    void neverForecastsBelowZeroForAHistoryThatNeverWentBelowIt() {
        double[] y = Synthetic.sine(24 * 20, 2, 10, 24, 0, 1, 4);
        for (int t = 0; t < y.length; t++) {
            y[t] = Math.max(0, y[t]);
        }
        DeployRule rule = DeployRule.of(DAILY, 24, null);

        DeployRule.Decision decision = rule.decide(Series.of("counts", y));

        assertThat(java.util.Arrays.stream(decision.forecast().p10()).min().orElseThrow())
                .isNotNegative();
    }

    @Test
    void countsAModelOnLogsOfAHistoryWithZerosOnceAsTheModelOnValuesItIs() {
        double[] y = Synthetic.sine(24 * 30, 10, 12, 24, 0, 2, 6);
        for (int t = 0; t < y.length; t++) {
            y[t] = Math.max(0, Math.round(y[t]));
        }
        Series counts = Series.of("counts", y);
        DeployRule rule = DeployRule.of(DAILY, 24, null);
        List<DeployRule.Fold> folds = rule.backtest(counts, counts.length());

        Combination chosen = rule.choose(counts, folds);

        assertThat(folds.get(0).forecasts().get("ets-ad-a24-log").p50())
                .containsExactly(folds.get(0).forecasts().get("ets-ad-a24").p50());
        assertThat(chosen.members())
                .extracting(Combination.Member::name)
                .doesNotContain("ets-ad-a24-log");
    }

    @Test
    void triesNaiveDriftAndTheSeasonalNaiveOfADayAndAWeek() {
        Seasons hourly =
                Seasons.of(
                        HOUR, null, null, List.of(Synthetic.sine(168 * 4, 100, 20, 24, 0, 1, 1)));
        DeployRule rule = DeployRule.of(hourly, 24, null);

        assertThat(rule.names()).contains("naive", "drift", "snaive24", "snaive168");
        assertThat(rule.baselines()).containsExactly("naive", "snaive24", "snaive168");
    }

    @Test
    void selectionFoldsPrecedeTheOriginAndNeverStartBeforeTheEarliestAllowed() {
        DeployRule rule = DeployRule.of(DAILY, 24, 3, null);
        assertThat(rule.selectionOrigins(200, 0)).containsExactly(128, 152, 176);
        assertThat(rule.selectionOrigins(200, 150)).containsExactly(152, 176);
        assertThat(rule.selectionOrigins(200, 190)).isEmpty();
    }

    @Test
    void rollingOriginsEndOneHorizonApartAtTheEndOfTheSeries() {
        assertThat(Backtest.origins(100, 3, 10, 0)).containsExactly(70, 80, 90);
        assertThat(Backtest.origins(100, 2, 10, 20)).containsExactly(60, 70);
    }
}
