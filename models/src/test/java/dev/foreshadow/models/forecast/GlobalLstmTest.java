package dev.foreshadow.models.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GlobalLstmTest {

    private static final int PERIOD = 24;
    private static final int HORIZON = 12;
    private static final LstmConfig TINY =
            new LstmConfig(HORIZON, PERIOD, 0, 24, 16, 15, 32, 5e-3, 2, 7);

    private static List<Series> noisySines() {
        List<Series> series = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            series.add(
                    Series.of(
                            "sine" + i, Synthetic.sine(PERIOD * 20, 10, 3, PERIOD, 5 * i, 0.3, i)));
        }
        return series;
    }

    @Test
    void learnsANoisySineWithinTolerance() {
        List<Series> series = noisySines();
        GlobalLstm lstm = GlobalLstm.train(series, HORIZON, TINY, epoch -> {});
        double absoluteError = 0;
        int count = 0;
        double inside = 0;
        for (int i = 0; i < series.size(); i++) {
            int origin = series.get(i).length() - HORIZON;
            Forecast f = lstm.forecast(series.get(i), origin, HORIZON);
            for (int h = 0; h < HORIZON; h++) {
                double truth = 10 + 3 * Math.sin(2 * Math.PI * (origin + h + 5 * i) / PERIOD);
                absoluteError += Math.abs(f.p50()[h] - truth);
                count++;
                assertThat(f.p10()[h]).isLessThanOrEqualTo(f.p50()[h]);
                assertThat(f.p50()[h]).isLessThanOrEqualTo(f.p90()[h]);
                double actual = series.get(i).values()[origin + h];
                inside += actual >= f.p10()[h] && actual <= f.p90()[h] ? 1 : 0;
            }
        }
        // the noise has sd 0.3 and the amplitude is 3: a mean error under 0.5 means the shape was
        // learned
        assertThat(absoluteError / count).isLessThan(0.5);
        assertThat(inside / count).isGreaterThan(0.4);
    }

    @Test
    void aFixedSeedGivesIdenticalResultsTwice() {
        List<Series> series = noisySines();
        LstmConfig short2 = TINY.withEpochs(2);
        Forecast first =
                GlobalLstm.train(series, HORIZON, short2, e -> {})
                        .forecast(series.get(0), 400, HORIZON);
        Forecast second =
                GlobalLstm.train(series, HORIZON, short2, e -> {})
                        .forecast(series.get(0), 400, HORIZON);
        assertThat(second.p50()).containsExactly(first.p50());
        assertThat(second.p10()).containsExactly(first.p10());
        assertThat(second.p90()).containsExactly(first.p90());
    }

    @Test
    void anArtifactForecastsExactlyLikeTheModelItWasWrittenFrom() {
        List<Series> series = noisySines();
        GlobalLstm lstm = GlobalLstm.train(series, HORIZON, TINY.withEpochs(1), e -> {});
        GlobalLstm loaded = GlobalLstm.fromBytes(lstm.toBytes());
        assertThat(loaded.config()).isEqualTo(lstm.config());
        assertThat(loaded.forecast(series.get(1), 300, HORIZON).p50())
                .containsExactly(lstm.forecast(series.get(1), 300, HORIZON).p50());
    }

    @Test
    void usesCovariatesKnownInAdvance() {
        // an event covariate that doubles demand during its steps: only a model that reads it can
        // foresee them
        int n = PERIOD * 30;
        double[] y = new double[n];
        double[][] cov = new double[n][1];
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        for (int t = 0; t < n; t++) {
            boolean event = random.nextDouble() < 0.08;
            cov[t][0] = event ? 1 : 0;
            y[t] = 10 + (event ? 10 : 0) + 0.2 * Synthetic.gaussian(random);
        }
        Series withEvents = new Series("events", y, cov, 0);
        LstmConfig config = new LstmConfig(HORIZON, PERIOD, 0, 24, 16, 12, 32, 5e-3, 1, 7);
        GlobalLstm with = GlobalLstm.train(List.of(withEvents), 10 * HORIZON, config, e -> {});
        GlobalLstm without =
                GlobalLstm.train(
                        List.of(withEvents.withoutCovariates()), 10 * HORIZON, config, e -> {});
        double errorWith = 0;
        double errorWithout = 0;
        for (int k = 1; k <= 10; k++) {
            int origin = n - k * HORIZON;
            double[] actual = withEvents.actuals(origin, HORIZON);
            double[] a = with.forecast(withEvents, origin, HORIZON).p50();
            double[] b = without.forecast(withEvents.withoutCovariates(), origin, HORIZON).p50();
            for (int h = 0; h < HORIZON; h++) {
                errorWith += Math.abs(actual[h] - a[h]);
                errorWithout += Math.abs(actual[h] - b[h]);
            }
        }
        assertThat(errorWith).isLessThan(0.7 * errorWithout);
    }

    @Test
    void readsAtMostTheStepsOfAnEpochFromEvenlySpacedWindows() {
        List<int[]> windows = new ArrayList<>();
        for (int i = 0; i < 30_000; i++) {
            windows.add(new int[] {i / 3000, i % 3000});
        }

        List<int[]> kept = GlobalLstm.thinned(windows, 96);

        assertThat((long) kept.size() * 96).isLessThanOrEqualTo(GlobalLstm.STEPS_PER_EPOCH);
        assertThat(kept.size()).isEqualTo((int) (GlobalLstm.STEPS_PER_EPOCH / 96));
        // every series keeps its share
        long share = kept.size() / 10;
        assertThat(kept.stream().filter(w -> w[0] == 9).count()).isBetween(share - 2, share + 2);
        assertThat(GlobalLstm.thinned(windows.subList(0, 1000), 96)).hasSize(1000);
    }

    @Test
    void theJavaForwardPassForecastsWhatTheNetworkItselfComputes() {
        List<Series> series = noisySines();
        series.add(Series.of("spiky", Synthetic.sine(PERIOD * 20, 50, 40, PERIOD, 3, 8.0, 11)));
        LstmConfig weekly = new LstmConfig(HORIZON, PERIOD, 4 * PERIOD, 24, 16, 3, 32, 5e-3, 2, 7);
        GlobalLstm lstm = GlobalLstm.train(series, HORIZON, weekly, e -> {});
        int[] origins = new int[series.size()];
        for (int i = 0; i < origins.length; i++) {
            origins[i] = series.get(i).length() - HORIZON - 7 * i;
        }

        List<Forecast> java = lstm.forecastAll(series, origins, HORIZON);
        List<Forecast> network = lstm.forecastAllWithNetwork(series, origins, HORIZON);

        for (int i = 0; i < origins.length; i++) {
            for (int h = 0; h < HORIZON; h++) {
                double scale = 1e-4 * (1 + Math.abs(network.get(i).p50()[h]));
                assertThat(java.get(i).p10()[h])
                        .isCloseTo(
                                network.get(i).p10()[h],
                                org.assertj.core.data.Offset.offset(scale));
                assertThat(java.get(i).p50()[h])
                        .isCloseTo(
                                network.get(i).p50()[h],
                                org.assertj.core.data.Offset.offset(scale));
                assertThat(java.get(i).p90()[h])
                        .isCloseTo(
                                network.get(i).p90()[h],
                                org.assertj.core.data.Offset.offset(scale));
            }
        }
        // the network's correction is not zero: the comparison covers the learned weights
        assertThat(network.get(0).p50()).isNotEqualTo(network.get(0).p10());
    }
}
