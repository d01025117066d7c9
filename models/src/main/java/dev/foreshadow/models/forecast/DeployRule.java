package dev.foreshadow.models.forecast;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * What foreshadow deploys for one series: the one rule that {@code eval forecast}, {@code train}
 * and the job's Forecast operator share. The candidates are the simple baselines (naive, seasonal
 * naive of a day and a week), drift, the seasonal medians, exponential smoothing of the {@link
 * Seasons} and the global LSTM when there is one; each forecasts the {@code folds} rolling origins,
 * one horizon apart, that precede the origin to forecast from (Tashman, IJF 16(4), 2000), and
 * {@link #choose} keeps those whose backtest beats the best simple baseline, weighted by their
 * error, or that baseline when none does (selection on out-of-sample error: Fildes & Petropoulos,
 * JBR 68(8), 2015).
 *
 * <p>Input: a {@link Series} and the origin to forecast from (its end, for a live forecast).
 * Output: a {@link Decision}: the name of what is deployed, why, its P10/P50/P90 forecast of {@code
 * horizon} steps, and the backtest it was chosen on. A history too short for a backtest gets the
 * seasonal naive forecast, and says so.
 */
public final class DeployRule {

    /** Backtest folds that select a candidate, unless a command is told otherwise. */
    public static final int FOLDS = 6;

    private final Seasons seasons;
    private final List<ForecastModel> candidates;
    private final int horizon;
    private final int folds;

    private DeployRule(
            Seasons seasons,
            List<ForecastModel> locals,
            ForecastModel lstm,
            int horizon,
            int folds) {
        if (horizon < 1 || folds < 1) {
            throw new IllegalArgumentException(
                    "horizon and folds must be positive: " + horizon + ", " + folds);
        }
        this.seasons = seasons;
        this.candidates = new ArrayList<>(locals);
        if (lstm != null) {
            candidates.add(lstm);
        }
        this.horizon = horizon;
        this.folds = folds;
    }

    /**
     * The rule for series with these seasons, forecasting {@code horizon} steps and selecting on
     * {@link #FOLDS} backtest folds; {@code lstm} may be null.
     */
    public static DeployRule of(Seasons seasons, int horizon, ForecastModel lstm) {
        return of(seasons, horizon, FOLDS, lstm);
    }

    /**
     * The rule for series with steps of {@code step}, whose seasons are found from the step and
     * confirmed on {@code histories} (the planner's entry: arrivals per workflow type, then {@link
     * #decide(Series)} for each); {@code lstm} may be null.
     */
    public static DeployRule forStep(
            Duration step, int horizon, List<double[]> histories, GlobalLstm lstm) {
        return of(Seasons.of(step, null, null, histories), horizon, lstm);
    }

    /** The same rule selecting on {@code folds} backtest folds. */
    public static DeployRule of(Seasons seasons, int horizon, int folds, ForecastModel lstm) {
        return new DeployRule(seasons, Models.localCandidates(seasons), lstm, horizon, folds);
    }

    /**
     * The same rule with this global model among its candidates (the same local model instances, so
     * their refits still start from their previous fits).
     */
    public DeployRule with(GlobalLstm lstm) {
        List<ForecastModel> locals =
                candidates.stream().filter(m -> !(m instanceof GlobalLstm)).toList();
        return new DeployRule(seasons, locals, lstm, horizon, folds);
    }

    /**
     * Values a series needs before it is forecast by backtest: {@code folds} folds of {@code
     * horizon}, one more horizon, and two seasons to fit the first fold on.
     */
    public static int minimumLength(int folds, int horizon, int season) {
        return (folds + 1) * horizon + 2 * season;
    }

    public Seasons seasons() {
        return seasons;
    }

    /** The season MASE is scaled with. */
    public int season() {
        return seasons.season();
    }

    public int horizon() {
        return horizon;
    }

    public int folds() {
        return folds;
    }

    /** Candidate names, in report order. */
    public List<String> names() {
        return candidates.stream().map(ForecastModel::name).toList();
    }

    /** The simple baselines among the candidates: naive and the seasonal naive ones. */
    public List<String> baselines() {
        return candidates.stream()
                .filter(m -> m instanceof SeasonalNaive)
                .map(ForecastModel::name)
                .toList();
    }

    /** The name of the seasonal naive candidate of the season (naive without a season). */
    public String seasonalNaive() {
        return season() > 1 ? "snaive" + season() : "naive";
    }

    /** The candidate of that name, ready to forecast (and to be written as an artifact). */
    public ForecastModel model(String name) {
        for (ForecastModel m : candidates) {
            if (m.name().equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("no candidate " + name);
    }

    /** Every candidate's forecast from {@code origin}, by name. */
    public Map<String, Forecast> forecastAll(Series series, int origin) {
        return forecastAll(series, origin, null, null);
    }

    /**
     * Every candidate's forecast from {@code origin}, by name, taking the global model's from
     * {@code global} when given (forecast in a batch beforehand) and adding the CPU seconds each
     * candidate took to {@code seconds} when given.
     */
    public Map<String, Forecast> forecastAll(
            Series series, int origin, Forecast global, Map<String, DoubleAdder> seconds) {
        return forecastAll(series, origin, global, seconds, true);
    }

    /**
     * The same; with {@code refit} false, the local models keep the parameters of their last fit of
     * the series ({@link LocalModel#forecastKeepingParameters}).
     */
    private Map<String, Forecast> forecastAll(
            Series series,
            int origin,
            Forecast global,
            Map<String, DoubleAdder> seconds,
            boolean refit) {
        Map<String, Forecast> out = new LinkedHashMap<>();
        boolean nonNegative = nonNegative(series, origin);
        for (ForecastModel m : candidates) {
            long started = Evaluation.cpuNanos();
            String twin = m instanceof ExponentialSmoothing e ? e.twin(series, origin) : null;
            Forecast f =
                    m instanceof GlobalLstm && global != null
                            ? global
                            : twin != null && out.containsKey(twin)
                                    ? out.get(twin)
                                    : LocalModel.forecast(m, series, origin, horizon, refit);
            out.put(m.name(), nonNegative ? f.nonNegative() : f);
            if (seconds != null) {
                seconds.computeIfAbsent(m.name(), k -> new DoubleAdder())
                        .add((Evaluation.cpuNanos() - started) / 1e9);
            }
        }
        return out;
    }

    /**
     * The candidates' forecasts from {@code origin} in report order: the local ones (made by this
     * rule's local models) and the global model's, made beforehand in a batch (or made now when
     * {@code global} is null).
     */
    Map<String, Forecast> withGlobal(
            Series series, int origin, Map<String, Forecast> locals, Forecast global) {
        Map<String, Forecast> out = new LinkedHashMap<>();
        for (ForecastModel m : candidates) {
            Forecast f = locals.get(m.name());
            if (f == null) {
                f =
                        bounded(
                                global != null ? global : m.forecast(series, origin, horizon),
                                series,
                                origin);
            }
            out.put(m.name(), f);
        }
        return out;
    }

    /** The global model among the candidates, or null. */
    public GlobalLstm global() {
        for (ForecastModel m : candidates) {
            if (m instanceof GlobalLstm lstm) {
                return lstm;
            }
        }
        return null;
    }

    /** The forecast, at least 0 when the history before {@code origin} never went below 0. */
    static Forecast bounded(Forecast forecast, Series series, int origin) {
        return nonNegative(series, origin) ? forecast.nonNegative() : forecast;
    }

    private static boolean nonNegative(Series series, int origin) {
        double[] y = series.values();
        for (int t = 0; t < origin; t++) {
            if (y[t] < 0) {
                return false;
            }
        }
        return true;
    }

    /** The score of each forecast made from {@code origin} (MASE scaled with the rule's season). */
    public Map<String, Backtest.Score> score(
            Series series, int origin, Map<String, Forecast> forecasts) {
        Map<String, Backtest.Score> out = new LinkedHashMap<>();
        forecasts.forEach(
                (name, f) -> out.put(name, Backtest.Score.of(series, origin, f, season())));
        return out;
    }

    /**
     * The origins of the backtest that selects for {@code origin}: up to {@code folds} origins one
     * horizon apart before it, oldest first, none before {@code earliest} (where the data a global
     * model learned from ends, so that no candidate is judged on what it was trained on).
     */
    public int[] selectionOrigins(int origin, int earliest) {
        List<Integer> out = new ArrayList<>();
        for (int k = folds; k >= 1; k--) {
            int o = origin - k * horizon;
            if (o >= Math.max(1, earliest)) {
                out.add(o);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Every candidate's forecasts from one backtest origin. */
    public record Fold(int origin, Map<String, Forecast> forecasts) {}

    /** The backtest folds before {@code origin}: every candidate forecasts each. */
    public List<Fold> backtest(Series series, int origin) {
        return backtest(series, origin, false);
    }

    /**
     * The backtest folds before {@code origin}, each local candidate's parameters estimated at the
     * oldest fold only and kept at the later ones (their states filtered through the steps
     * between): a fit per candidate instead of one per fold, for a caller that itself re-estimates
     * its parameters only now and then (the job's forecaster, hourly), so that the backtest judges
     * the candidates as they are used. No fold sees a parameter estimated on its own actuals.
     */
    public List<Fold> backtestKeepingParameters(Series series, int origin) {
        return backtest(series, origin, true);
    }

    private List<Fold> backtest(Series series, int origin, boolean keepParameters) {
        List<Fold> out = new ArrayList<>();
        for (int o : Backtest.origins(origin, folds, horizon, 0)) {
            out.add(
                    new Fold(
                            o,
                            forecastAll(series, o, null, null, !keepParameters || out.isEmpty())));
        }
        return out;
    }

    /** The mean of each candidate's scores over folds (each fold scores the same candidates). */
    public static Map<String, Backtest.Score> mean(List<Map<String, Backtest.Score>> folds) {
        Map<String, Backtest.Score> out = new LinkedHashMap<>();
        for (String name : folds.get(0).keySet()) {
            out.put(
                    name,
                    Backtest.mean(
                            folds.stream().map(f -> f.get(name)).toArray(Backtest.Score[]::new)));
        }
        return out;
    }

    /** Each candidate's mean score over the folds. */
    public Map<String, Backtest.Score> scores(Series series, List<Fold> folds) {
        List<Map<String, Backtest.Score>> perFold = new ArrayList<>();
        for (Fold f : folds) {
            perFold.add(score(series, f.origin(), f.forecasts()));
        }
        return mean(perFold);
    }

    /**
     * What to deploy, from the backtest folds: the candidates whose mean MASE beats that of the
     * best simple baseline, combined with weights proportional to 1 / MASE^2 (the inverse-variance
     * weights of Bates & Granger, "The combination of forecasts", ORQ 20(4), 1969, with the squared
     * backtest error as the variance), or the best simple baseline alone when none beats it. Each
     * member's interval is rescaled so that, on the backtest, 10% of the actuals fall above its P90
     * and 10% below its P10 (split conformal calibration of the interval's half-widths: Vovk,
     * Gammerman & Shafer, "Algorithmic learning in a random world", 2005; Romano, Patterson &
     * Candes, "Conformalized quantile regression", NeurIPS 2019).
     */
    public Combination choose(Series series, List<Fold> folds) {
        if (folds.isEmpty()) {
            throw new IllegalArgumentException(series.id() + ": no backtest fold to choose on");
        }
        Map<String, Backtest.Score> scores = scores(series, folds);
        String baseline = null;
        for (String b : baselines()) {
            if (baseline == null || scores.get(b).mase() < scores.get(baseline).mase()) {
                baseline = b;
            }
        }
        double baselineMase = scores.get(baseline).mase();
        List<String> better = new ArrayList<>();
        int first = folds.get(0).origin();
        for (ForecastModel m : candidates) {
            String name = m.name();
            // a model on logs of a history with zeros is its model on values: one member, not two
            boolean twin = m instanceof ExponentialSmoothing e && e.twin(series, first) != null;
            if (!baselines().contains(name) && !twin && scores.get(name).mase() < baselineMase) {
                better.add(name);
            }
        }
        better.sort(Comparator.comparingDouble((String name) -> scores.get(name).mase()));
        String summary =
                String.format(
                        Locale.ROOT,
                        "best simple baseline %s (backtest MASE %.3f over %d folds)",
                        baseline,
                        baselineMase,
                        folds.size());
        if (better.isEmpty()) {
            return new Combination(
                    baseline,
                    List.of(member(series, folds, baseline, 1)),
                    List.of(model(baseline)),
                    baseline + ": no candidate beat the " + summary);
        }
        double total = 0;
        for (String name : better) {
            total += weight(scores.get(name).mase());
        }
        List<Combination.Member> members = new ArrayList<>();
        List<ForecastModel> models = new ArrayList<>();
        List<String> parts = new ArrayList<>();
        for (String name : better) {
            double w = weight(scores.get(name).mase()) / total;
            members.add(member(series, folds, name, w));
            models.add(model(name));
            parts.add(
                    String.format(
                            Locale.ROOT,
                            "%s %.3f (weight %.2f)",
                            name,
                            scores.get(name).mase(),
                            w));
        }
        String name = better.size() == 1 ? better.get(0) : "combo" + better.size();
        return new Combination(
                name,
                members,
                models,
                String.format(
                        Locale.ROOT,
                        "%s: %s beat the %s: %s",
                        name,
                        better.size() == 1 ? "one candidate" : better.size() + " candidates",
                        summary,
                        String.join(", ", parts)));
    }

    private static double weight(double mase) {
        return 1 / (mase * mase + 1e-12);
    }

    /**
     * A member with the interval scales its backtest calls for: the conformal quantile (the {@code
     * ceil(0.9 (n + 1))}-th smallest of n) of the actuals' distance beyond the median in units of
     * the distance to P90 (above) or to P10 (below).
     */
    private Combination.Member member(Series series, List<Fold> folds, String name, double weight) {
        List<Double> above = new ArrayList<>();
        List<Double> below = new ArrayList<>();
        double[] y = series.values();
        for (Fold fold : folds) {
            Forecast f = fold.forecasts().get(name);
            for (int h = 0; h < f.horizon(); h++) {
                double actual = y[fold.origin() + h];
                double median = f.p50()[h];
                above.add(relative(actual - median, f.p90()[h] - median));
                below.add(relative(median - actual, median - f.p10()[h]));
            }
        }
        return new Combination.Member(name, weight, conformal(below), conformal(above));
    }

    private static double relative(double distance, double halfWidth) {
        if (halfWidth > 1e-12) {
            return distance / halfWidth;
        }
        return distance > 1e-12 ? MAX_SCALE : 0;
    }

    /** Largest and smallest factor an interval's half-width is scaled by. */
    private static final double MAX_SCALE = 20;

    private static final double MIN_SCALE = 0.05;

    private static double conformal(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int k = (int) Math.ceil(0.9 * (v.length + 1)) - 1;
        double q = v[Math.max(0, Math.min(v.length - 1, k))];
        return Math.max(MIN_SCALE, Math.min(MAX_SCALE, q));
    }

    /**
     * What is deployed: the chosen candidate or combination's name, why, its forecast, the backtest
     * scores of every candidate it was chosen on (empty when the history was too short for one),
     * the score of the deployed combination on the same folds (null then), and the deployed model
     * itself (to register).
     */
    public record Decision(
            String model,
            String reason,
            Forecast forecast,
            Map<String, Backtest.Score> backtest,
            Backtest.Score deployedBacktest,
            ForecastModel deployed) {}

    /** The decision for a forecast from the end of the history (what the job deploys). */
    public Decision decide(Series series) {
        return decide(series, series.length());
    }

    /**
     * The decision for a forecast from {@code origin}, chosen on the folds before it; with fewer
     * than {@link #minimumLength} values before {@code origin}, the seasonal naive forecast (the
     * naive one within the first season).
     */
    public Decision decide(Series series, int origin) {
        int season = season();
        if (origin < minimumLength(folds, horizon, season)) {
            ForecastModel fallback = new SeasonalNaive(origin > season ? season : 1);
            return new Decision(
                    fallback.name(),
                    String.format(
                            Locale.ROOT,
                            "%s: too little history (%d values, a backtest needs %d)",
                            origin > season ? "seasonal naive" : "naive",
                            origin,
                            minimumLength(folds, horizon, season)),
                    bounded(fallback.forecast(series, origin, horizon), series, origin),
                    Map.of(),
                    null,
                    fallback);
        }
        List<Fold> folds = backtest(series, origin);
        Combination chosen = choose(series, folds);
        Backtest.Score[] deployed = new Backtest.Score[folds.size()];
        for (int i = 0; i < deployed.length; i++) {
            Fold f = folds.get(i);
            Forecast combined = bounded(chosen.combine(f.forecasts()), series, f.origin());
            deployed[i] = Backtest.Score.of(series, f.origin(), combined, season);
        }
        return new Decision(
                chosen.name(),
                chosen.reason(),
                bounded(chosen.combine(forecastAll(series, origin)), series, origin),
                scores(series, folds),
                Backtest.mean(deployed),
                chosen);
    }
}
