package dev.foreshadow.models.forecast;

import dev.foreshadow.models.metrics.Accuracy;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * Rolling-origin evaluation of a {@link DeployRule} over many series (Tashman, IJF 16(4), 2000):
 * every candidate forecasts every scored origin, and what the rule deploys there is chosen on the
 * backtest folds before it, exactly as the job would choose it.
 *
 * <p>Input: the rule; the series; per series, the scored origins (oldest first) and the earliest
 * origin a backtest may start from (where the data that a global model learned from ends); and
 * reference models that are scored but never deployed (M4's Naive2). Output: the score of every
 * candidate, reference and of the deployed forecast ({@link #DEPLOYED}) at every scored origin,
 * what was deployed where, the forecasts (for charts) and the MASE on chosen steps (events).
 */
public final class Evaluation {

    /** The row name of what the rule deploys. */
    public static final String DEPLOYED = "selected";

    /** Which steps of series {@code i} count as event steps. */
    public interface StepMask {
        boolean test(int series, int step);
    }

    private final List<Series> series;
    private final List<String> candidates;
    private final int[][] origins;
    private final int season;

    /** Forecasts of every candidate, reference and {@link #DEPLOYED}: [series][fold] by name. */
    private final List<List<Map<String, Forecast>>> forecasts;

    /** Scores of the same: [series][fold] by name. */
    private final List<List<Map<String, Backtest.Score>>> scores;

    private final String[][] chosen;

    private final Map<String, Double> seconds;

    private Evaluation(
            List<Series> series,
            List<String> candidates,
            int[][] origins,
            int season,
            List<List<Map<String, Forecast>>> forecasts,
            List<List<Map<String, Backtest.Score>>> scores,
            String[][] chosen,
            Map<String, Double> seconds) {
        this.series = series;
        this.candidates = candidates;
        this.origins = origins;
        this.season = season;
        this.forecasts = forecasts;
        this.scores = scores;
        this.chosen = chosen;
        this.seconds = seconds;
    }

    /**
     * CPU seconds spent (summed over threads) forecasting with each candidate, and choosing and
     * combining ({@code "(choice)"}).
     */
    public Map<String, Double> seconds() {
        return seconds;
    }

    /**
     * Runs the evaluation of a rule whose global model, if any, is already trained; see {@link
     * #run(DeployRule, Supplier, List, int[][], int[], List, Runnable)}.
     */
    public static Evaluation run(
            DeployRule rule,
            List<Series> series,
            int[][] scoredOrigins,
            int[] earliest,
            List<ForecastModel> references,
            Runnable onForecast) {
        return run(rule, () -> null, series, scoredOrigins, earliest, references, onForecast);
    }

    /**
     * Runs the evaluation: {@code training} (which may return null: no global model) trains the
     * global model on a thread of its own while the local models forecast, series in parallel; then
     * the global model forecasts every origin in batches, and the rule chooses at each scored
     * origin. {@code onForecast} is told (from any thread) each time the local models have forecast
     * one origin of one series.
     */
    public static Evaluation run(
            DeployRule rule,
            Supplier<GlobalLstm> training,
            List<Series> series,
            int[][] scoredOrigins,
            int[] earliest,
            List<ForecastModel> references,
            Runnable onForecast) {
        int n = series.size();
        List<TreeSet<Integer>> needed = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            needed.add(needed(rule, scoredOrigins[i], earliest[i]));
        }
        Map<String, DoubleAdder> seconds = new ConcurrentHashMap<>();
        CompletableFuture<GlobalLstm> trained =
                CompletableFuture.supplyAsync(
                        training,
                        task -> {
                            Thread thread = new Thread(task, "global-model-training");
                            thread.setDaemon(true);
                            thread.start();
                        });
        DeployRule local = rule.with(null);
        List<Map<Integer, Map<String, Forecast>>> byOrigin = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byOrigin.add(null);
        }
        IntStream.range(0, n)
                .parallel()
                .forEach(
                        i -> {
                            // oldest origin first, so that each refit starts from the previous one
                            Map<Integer, Map<String, Forecast>> f = new LinkedHashMap<>();
                            for (int o : needed.get(i)) {
                                f.put(o, local.forecastAll(series.get(i), o, null, seconds));
                                onForecast.run();
                            }
                            byOrigin.set(i, f);
                        });
        GlobalLstm lstm;
        try {
            lstm = trained.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        DeployRule full = lstm != null ? local.with(lstm) : rule;
        List<Map<Integer, Forecast>> global = globalForecasts(full, series, needed, seconds);
        List<List<Map<String, Forecast>>> forecasts = new ArrayList<>();
        List<List<Map<String, Backtest.Score>>> scores = new ArrayList<>();
        String[][] chosen = new String[n][];
        for (int i = 0; i < n; i++) {
            forecasts.add(null);
            scores.add(null);
        }
        IntStream.range(0, n)
                .parallel()
                .forEach(
                        i -> {
                            Series s = series.get(i);
                            int[] scored = scoredOrigins[i];
                            Map<Integer, Map<String, Forecast>> all = new LinkedHashMap<>();
                            byOrigin.get(i)
                                    .forEach(
                                            (o, f) ->
                                                    all.put(
                                                            o,
                                                            full.withGlobal(
                                                                    s,
                                                                    o,
                                                                    f,
                                                                    global.get(i).get(o))));
                            List<Map<String, Forecast>> fs = new ArrayList<>();
                            List<Map<String, Backtest.Score>> ss = new ArrayList<>();
                            chosen[i] = new String[scored.length];
                            for (int k = 0; k < scored.length; k++) {
                                int o = scored[k];
                                List<DeployRule.Fold> folds = new ArrayList<>();
                                for (int b : full.selectionOrigins(o, earliest[i])) {
                                    folds.add(new DeployRule.Fold(b, all.get(b)));
                                }
                                long started = cpuNanos();
                                Combination pick = full.choose(s, folds);
                                Map<String, Forecast> f = new LinkedHashMap<>(all.get(o));
                                f.put(DEPLOYED, DeployRule.bounded(pick.combine(f), s, o));
                                seconds.computeIfAbsent("(choice)", key -> new DoubleAdder())
                                        .add((cpuNanos() - started) / 1e9);
                                for (ForecastModel r : references) {
                                    f.put(r.name(), r.forecast(s, o, full.horizon()));
                                }
                                chosen[i][k] = pick.name();
                                fs.add(f);
                                ss.add(full.score(s, o, f));
                            }
                            forecasts.set(i, fs);
                            scores.set(i, ss);
                        });
        Map<String, Double> spent = new LinkedHashMap<>();
        seconds.forEach((name, adder) -> spent.put(name, adder.sum()));
        return new Evaluation(
                series,
                full.names(),
                scoredOrigins,
                full.season(),
                forecasts,
                scores,
                chosen,
                spent);
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /**
     * The CPU time of the calling thread in nanoseconds (its wall-clock time where the JVM cannot
     * measure that): what a model costs, whatever else loads the machine.
     */
    public static long cpuNanos() {
        return THREADS.isCurrentThreadCpuTimeSupported()
                ? THREADS.getCurrentThreadCpuTime()
                : System.nanoTime();
    }

    /** The global model's forecast at every needed origin of every series, in batches. */
    private static List<Map<Integer, Forecast>> globalForecasts(
            DeployRule rule,
            List<Series> series,
            List<TreeSet<Integer>> needed,
            Map<String, DoubleAdder> seconds) {
        List<Map<Integer, Forecast>> out = new ArrayList<>();
        List<Series> batch = new ArrayList<>();
        List<Integer> origins = new ArrayList<>();
        for (int i = 0; i < series.size(); i++) {
            out.add(new LinkedHashMap<>());
            for (int o : needed.get(i)) {
                batch.add(series.get(i));
                origins.add(o);
            }
        }
        GlobalLstm lstm = rule.global();
        if (lstm == null || batch.isEmpty()) {
            return out;
        }
        long started = cpuNanos();
        List<Forecast> all =
                lstm.forecastAll(
                        batch,
                        origins.stream().mapToInt(Integer::intValue).toArray(),
                        rule.horizon());
        int k = 0;
        for (int i = 0; i < series.size(); i++) {
            for (int o : needed.get(i)) {
                out.get(i).put(o, all.get(k++));
            }
        }
        seconds.computeIfAbsent(lstm.name(), key -> new DoubleAdder())
                .add((cpuNanos() - started) / 1e9);
        return out;
    }

    /** How many origins {@link #run} forecasts from (scored ones and those of their backtests). */
    public static long forecastOrigins(DeployRule rule, int[][] scoredOrigins, int[] earliest) {
        long count = 0;
        for (int i = 0; i < scoredOrigins.length; i++) {
            count += needed(rule, scoredOrigins[i], earliest[i]).size();
        }
        return count;
    }

    private static TreeSet<Integer> needed(DeployRule rule, int[] scored, int earliest) {
        TreeSet<Integer> needed = new TreeSet<>();
        for (int o : scored) {
            needed.add(o);
            for (int b : rule.selectionOrigins(o, earliest)) {
                needed.add(b);
            }
        }
        return needed;
    }

    /** The candidates' names, in report order. */
    public List<String> candidates() {
        return candidates;
    }

    /** Every scored forecast's score of that candidate, reference or {@link #DEPLOYED}. */
    public Backtest.Score[] scores(String name) {
        List<Backtest.Score> out = new ArrayList<>();
        for (List<Map<String, Backtest.Score>> folds : scores) {
            for (Map<String, Backtest.Score> fold : folds) {
                out.add(fold.get(name));
            }
        }
        return out.toArray(Backtest.Score[]::new);
    }

    /** What was deployed for series {@code i} at its scored fold {@code fold}. */
    public String chosen(int i, int fold) {
        return chosen[i][fold];
    }

    /** The forecast of that name for series {@code i} at its scored fold {@code fold}. */
    public Forecast forecast(int i, int fold, String name) {
        return forecasts.get(i).get(fold).get(name);
    }

    /** How often each candidate was deployed, in order of first deployment. */
    public Map<String, Integer> wins() {
        Map<String, Integer> wins = new LinkedHashMap<>();
        for (String[] row : chosen) {
            for (String c : row) {
                wins.merge(c, 1, Integer::sum);
            }
        }
        return wins;
    }

    /**
     * MASE of that forecast restricted to the scored steps the mask selects: {mean, steps}, the
     * mean NaN when no step was selected.
     */
    public double[] eventMase(String name, StepMask mask) {
        double sum = 0;
        int count = 0;
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            for (int k = 0; k < origins[i].length; k++) {
                int origin = origins[i][k];
                double scale = Accuracy.maseScale(s.history(origin), season);
                Forecast fc = forecast(i, k, name);
                for (int h = 0; h < fc.horizon(); h++) {
                    if (mask.test(i, origin + h)) {
                        sum +=
                                Math.abs(s.values()[origin + h] - fc.p50()[h])
                                        / (scale > 0 ? scale : 1);
                        count++;
                    }
                }
            }
        }
        return new double[] {count == 0 ? Double.NaN : sum / count, count};
    }
}
