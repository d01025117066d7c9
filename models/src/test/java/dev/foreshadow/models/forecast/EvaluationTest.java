package dev.foreshadow.models.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EvaluationTest {

    private static final Seasons DAILY =
            Seasons.of(
                    Duration.ofHours(1),
                    null,
                    null,
                    List.of(Synthetic.sine(24 * 10, 100, 20, 24, 0, 1, 1)));

    /** A rule whose models have not fitted anything yet (refits start from earlier fits). */
    private static DeployRule freshRule() {
        return DeployRule.of(DAILY, 24, 3, null);
    }

    private static final DeployRule RULE = freshRule();

    @Test
    void deploysAtEachScoredFoldTheCandidateBestOnTheAllowedFoldsBeforeIt() {
        List<Series> series =
                List.of(
                        Series.of("calm", Synthetic.sine(24 * 20, 100, 20, 24, 0, 1, 1)),
                        Series.of("noisy", Synthetic.sine(24 * 20, 100, 5, 24, 3, 8, 2)));
        int[][] scored = new int[2][];
        int[] earliest = new int[2];
        for (int i = 0; i < 2; i++) {
            int[] origins = Backtest.origins(series.get(i).length(), 5, 24, 0);
            earliest[i] = origins[0];
            scored[i] = java.util.Arrays.copyOfRange(origins, 1, 5);
        }
        AtomicInteger forecasts = new AtomicInteger();

        Evaluation eval =
                Evaluation.run(
                        RULE,
                        series,
                        scored,
                        earliest,
                        List.of(Models.naive2(24)),
                        forecasts::incrementAndGet);

        // five origins per series: the four scored ones and the extra fold before them
        assertThat(forecasts.get()).isEqualTo(10);
        assertThat(Evaluation.forecastOrigins(RULE, scored, earliest)).isEqualTo(10);
        // the same forecasts again, in the same order (oldest origin first), by an untouched rule
        DeployRule again = freshRule();
        for (int i = 0; i < 2; i++) {
            Series s = series.get(i);
            Map<Integer, Map<String, Forecast>> byOrigin = new java.util.TreeMap<>();
            byOrigin.put(earliest[i], again.forecastAll(s, earliest[i]));
            for (int o : scored[i]) {
                byOrigin.put(o, again.forecastAll(s, o));
            }
            for (int k = 0; k < 4; k++) {
                List<DeployRule.Fold> before = new ArrayList<>();
                for (int o : RULE.selectionOrigins(scored[i][k], earliest[i])) {
                    before.add(new DeployRule.Fold(o, byOrigin.get(o)));
                }
                // the first scored fold has only the extra fold before it
                assertThat(before).hasSize(Math.min(k + 1, 3));
                Combination expected = again.choose(s, before);
                assertThat(eval.chosen(i, k)).isEqualTo(expected.name());
                assertThat(eval.forecast(i, k, Evaluation.DEPLOYED).p50())
                        .containsExactly(expected.combine(byOrigin.get(scored[i][k])).p50());
            }
        }
        assertThat(eval.scores(Evaluation.DEPLOYED)).hasSize(8);
        assertThat(eval.scores("naive2")).hasSize(8).doesNotContainNull();
        assertThat(eval.wins().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(8);
        assertThat(eval.seconds()).containsKeys("naive", "ets-ad-a24", "(choice)");
    }

    @Test
    void eventMaseScoresOnlyTheMaskedSteps() {
        Series s = Series.of("sine", Synthetic.sine(24 * 20, 100, 20, 24, 0, 1, 1));
        int[][] scored = {{24 * 19}};
        int[] earliest = {24 * 16};
        Evaluation eval = Evaluation.run(RULE, List.of(s), scored, earliest, List.of(), () -> {});

        double[] none = eval.eventMase("snaive24", (i, t) -> false);
        double[] all = eval.eventMase("snaive24", (i, t) -> true);

        assertThat(none[1]).isZero();
        assertThat(all[1]).isEqualTo(24);
        assertThat(all[0]).isCloseTo(eval.scores("snaive24")[0].mase(), within(1e-12));
    }

    @Test
    void timesModelsByTheCpuTheyUseNotByTheTimeTheyWaited() throws Exception {
        long cpu = Evaluation.cpuNanos();
        long wall = System.nanoTime();
        Thread.sleep(300);
        long slept = Evaluation.cpuNanos() - cpu;
        assertThat(System.nanoTime() - wall).isGreaterThanOrEqualTo(300_000_000L);
        assertThat(slept).isLessThan(100_000_000L);

        cpu = Evaluation.cpuNanos();
        double sum = 0;
        for (int i = 0; i < 50_000_000; i++) {
            sum += Math.sqrt(i);
        }
        assertThat(sum).isPositive();
        assertThat(Evaluation.cpuNanos() - cpu).isPositive();
    }
}
