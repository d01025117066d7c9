package dev.foreshadow.models.forecast;

import dev.foreshadow.models.metrics.Accuracy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
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

    private Evaluation(
            List<Series> series,
            List<String> candidates,
            int[][] origins,
            int season,
            List<List<Map<String, Forecast>>> forecasts,
            List<List<Map<String, Backtest.Score>>> scores,
            String[][] chosen) {
        this.series = series;
        this.candidates = candidates;
        this.origins = origins;
        this.season = season;
        this.forecasts = forecasts;
        this.scores = scores;
        this.chosen = chosen;
    }

    /**
     * Runs the evaluation, series in parallel; {@code onForecast} is told (from any thread) each
     * time every candidate has forecast one origin of one series.
     */
    public static Evaluation run(
            DeployRule rule,
            List<Series> series,
            int[][] scoredOrigins,
            int[] earliest,
            List<ForecastModel> references,
            Runnable onForecast) {
        int n = series.size();
        List<List<Map<String, Forecast>>> forecasts = new ArrayList<>();
        List<List<Map<String, Backtest.Score>>> scores = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            forecasts.add(null);
            scores.add(null);
        }
        String[][] chosen = new String[n][];
        IntStream.range(0, n)
                .parallel()
                .forEach(
                        i -> {
                            Series s = series.get(i);
                            int[] scored = scoredOrigins[i];
                            TreeSet<Integer> needed = needed(rule, scored, earliest[i]);
                            Map<Integer, Map<String, Forecast>> byOrigin = new LinkedHashMap<>();
                            Map<Integer, Map<String, Backtest.Score>> scoreByOrigin =
                                    new LinkedHashMap<>();
                            for (int o : needed) {
                                Map<String, Forecast> f = rule.forecastAll(s, o);
                                byOrigin.put(o, f);
                                scoreByOrigin.put(o, rule.score(s, o, f));
                                onForecast.run();
                            }
                            List<Map<String, Forecast>> fs = new ArrayList<>();
                            List<Map<String, Backtest.Score>> ss = new ArrayList<>();
                            chosen[i] = new String[scored.length];
                            for (int k = 0; k < scored.length; k++) {
                                int o = scored[k];
                                List<Map<String, Backtest.Score>> before = new ArrayList<>();
                                for (int b : rule.selectionOrigins(o, earliest[i])) {
                                    before.add(scoreByOrigin.get(b));
                                }
                                if (before.isEmpty()) {
                                    throw new IllegalArgumentException(
                                            s.id() + ": no backtest fold before origin " + o);
                                }
                                String pick = rule.choose(DeployRule.mean(before)).model();
                                chosen[i][k] = pick;
                                Map<String, Forecast> f = new LinkedHashMap<>(byOrigin.get(o));
                                for (ForecastModel r : references) {
                                    f.put(r.name(), r.forecast(s, o, rule.horizon()));
                                }
                                f.put(DEPLOYED, f.get(pick));
                                fs.add(f);
                                ss.add(rule.score(s, o, f));
                            }
                            forecasts.set(i, fs);
                            scores.set(i, ss);
                        });
        return new Evaluation(
                series, rule.names(), scoredOrigins, rule.season(), forecasts, scores, chosen);
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
