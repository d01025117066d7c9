package dev.foreshadow.models.forecast;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What foreshadow deploys for one series: the one rule that {@code eval forecast}, {@code train}
 * and the job's Forecast operator share. The candidates are the local models of the season (and
 * long season), the global LSTM when there is one, and equally weighted combinations of them; each
 * forecasts the {@code folds} rolling origins, one horizon apart, that precede the origin to
 * forecast from, and the candidate with the lowest mean MASE over those folds is deployed (Fildes &
 * Petropoulos, "Simple versus complex selection rules for forecasting many time series", JBR 68(8),
 * 2015: selection on out-of-sample error; Tashman, IJF 16(4), 2000, for rolling origins).
 *
 * <p>Input: a {@link Series} and the origin to forecast from (its end, for a live forecast).
 * Output: a {@link Decision}: the candidate's name, why it was chosen, its P10/P50/P90 forecast of
 * {@code horizon} steps, and the backtest it was chosen on. A history too short for a backtest gets
 * the seasonal naive forecast, and says so.
 */
public final class DeployRule {

    /** Backtest folds that select a candidate, unless a command is told otherwise. */
    public static final int FOLDS = 3;

    private final List<ForecastModel> bases;
    private final List<Ensemble> combinations;
    private final int season;
    private final int horizon;
    private final int folds;

    private DeployRule(
            List<ForecastModel> locals, ForecastModel lstm, int season, int horizon, int folds) {
        if (season < 1 || horizon < 1 || folds < 1) {
            throw new IllegalArgumentException(
                    "season, horizon and folds must be positive: " + season + ", " + horizon);
        }
        this.bases = new ArrayList<>(locals);
        List<Ensemble> combos = new ArrayList<>();
        if (lstm != null) {
            bases.add(lstm);
            for (ForecastModel combo : Models.combinations(locals, lstm)) {
                combos.add((Ensemble) combo);
            }
        }
        this.combinations = combos;
        this.season = season;
        this.horizon = horizon;
        this.folds = folds;
    }

    /**
     * The rule for series with the given season and long season (0 for none), forecasting {@code
     * horizon} steps and selecting on {@code folds} backtest folds; {@code lstm} may be null.
     */
    public static DeployRule of(
            int season, int longSeason, int horizon, int folds, ForecastModel lstm) {
        return new DeployRule(
                Models.localCandidates(season, longSeason), lstm, season, horizon, folds);
    }

    /** The long season used when none is given: a week of hours for an hourly day, else none. */
    public static int defaultLongSeason(int season) {
        return season == 24 ? 168 : 0;
    }

    /**
     * Values a series needs before it is forecast by backtest: {@code folds} folds of {@code
     * horizon}, one more horizon, and two seasons to fit the first fold on.
     */
    public static int minimumLength(int folds, int horizon, int season) {
        return (folds + 1) * horizon + 2 * season;
    }

    public int season() {
        return season;
    }

    public int horizon() {
        return horizon;
    }

    public int folds() {
        return folds;
    }

    /** Candidate names, in report order. */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        bases.forEach(m -> names.add(m.name()));
        combinations.forEach(m -> names.add(m.name()));
        return names;
    }

    /** The candidate of that name, ready to forecast (and to be written as an artifact). */
    public ForecastModel model(String name) {
        for (ForecastModel m : bases) {
            if (m.name().equals(name)) {
                return m;
            }
        }
        for (Ensemble m : combinations) {
            if (m.name().equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("no candidate " + name);
    }

    /** Every candidate's forecast from {@code origin}, by name. */
    public Map<String, Forecast> forecastAll(Series series, int origin) {
        Map<String, Forecast> out = new LinkedHashMap<>();
        for (ForecastModel m : bases) {
            out.put(m.name(), m.forecast(series, origin, horizon));
        }
        for (Ensemble e : combinations) {
            List<Forecast> members = new ArrayList<>();
            for (ForecastModel member : e.members()) {
                members.add(out.get(member.name()));
            }
            out.put(e.name(), Ensemble.combine(members));
        }
        return out;
    }

    /** The score of each forecast made from {@code origin} (MASE scaled with the rule's season). */
    public Map<String, Backtest.Score> score(
            Series series, int origin, Map<String, Forecast> forecasts) {
        Map<String, Backtest.Score> out = new LinkedHashMap<>();
        forecasts.forEach((name, f) -> out.put(name, Backtest.Score.of(series, origin, f, season)));
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

    /**
     * Mean backtest score of every candidate over the {@code folds} folds before {@code origin}.
     */
    public Map<String, Backtest.Score> backtest(Series series, int origin) {
        int[] origins = Backtest.origins(origin, folds, horizon, 0);
        List<Map<String, Backtest.Score>> perFold = new ArrayList<>();
        for (int o : origins) {
            perFold.add(score(series, o, forecastAll(series, o)));
        }
        return mean(perFold);
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

    /** The chosen candidate and why. */
    public record Choice(String model, String reason) {}

    /** The candidate with the lowest backtest MASE (the first listed on ties). */
    public Choice choose(Map<String, Backtest.Score> backtest) {
        String best = null;
        double bestMase = Double.POSITIVE_INFINITY;
        for (Map.Entry<String, Backtest.Score> e : backtest.entrySet()) {
            if (e.getValue().mase() < bestMase) {
                bestMase = e.getValue().mase();
                best = e.getKey();
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("no candidate scored");
        }
        return new Choice(
                best, String.format(Locale.ROOT, "lowest backtest MASE (%.3f)", bestMase));
    }

    /**
     * What is deployed: the chosen candidate's name, why, its forecast, and the backtest (empty
     * when the history was too short for one).
     */
    public record Decision(
            String model, String reason, Forecast forecast, Map<String, Backtest.Score> backtest) {}

    /** The decision for a forecast from the end of the history (what the job deploys). */
    public Decision decide(Series series) {
        return decide(series, series.length());
    }

    /**
     * The decision for a forecast from {@code origin}, selected on the folds before it; with fewer
     * than {@link #minimumLength} values before {@code origin}, the seasonal naive forecast (the
     * naive one within the first season).
     */
    public Decision decide(Series series, int origin) {
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
                    fallback.forecast(series, origin, horizon),
                    Map.of());
        }
        Map<String, Backtest.Score> backtest = backtest(series, origin);
        Choice choice = choose(backtest);
        return new Decision(
                choice.model(),
                choice.reason(),
                model(choice.model()).forecast(series, origin, horizon),
                backtest);
    }
}
