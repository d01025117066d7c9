package dev.foreshadow.models.demand;

import dev.foreshadow.models.forecast.Combination;
import dev.foreshadow.models.forecast.DeployRule;
import dev.foreshadow.models.forecast.Forecast;
import dev.foreshadow.models.forecast.Series;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link ArrivalsForecaster} over {@code models/forecast}'s {@link DeployRule}, the rule that
 * {@code eval forecast} and {@code train} deploy with: per type, the candidate or error-weighted
 * combination chosen on {@link #FOLDS} rolling-origin folds of the horizon (the best simple
 * baseline when nothing beats it), chosen again every season of new history (once the history is
 * cut to {@code maxHistory}, every season of forecasts made on it; the job's: every {@code
 * chooseEvery} steps, and sooner while the history is young) and refitted at every forecast (the
 * long season joins once the history holds two of it); seasonal naive while the history is too
 * short to choose, naive below one season. The global LSTM is left out here (it trains for minutes;
 * the registry's choice can include it in the job). Only the last {@code maxHistory} steps are
 * fitted on.
 *
 * <p>With {@code refitEvery} above 1 (the job's), the chosen members' parameters are re-estimated
 * at a new choice and every {@code refitEvery} forecasts of the type, and in between kept while
 * their states are filtered through the new steps (the usual practice for frequent forecasts:
 * parameters move slowly, the states with every value), and the backtest judges the candidates the
 * same way: each fitted at its oldest fold, its parameters kept at the later ones ({@link
 * DeployRule#backtestKeepingParameters}); {@code eval allocation} refits at every forecast and
 * every fold ({@link #forStep(long)}).
 */
public final class SelectionForecaster implements ArrivalsForecaster {

    static final int FOLDS = 3;

    private final int season;
    private final int longSeason;
    private final int maxHistory;
    private final int refitEvery;
    private final int chooseEvery;

    /** The rules by horizon and whether the long season is in: made once, their models reused. */
    private final Map<List<Integer>, DeployRule> rules = new ConcurrentHashMap<>();

    /** Per type: the history length when its model was chosen, the rule and the choice. */
    private final Map<String, Choice> chosen = new ConcurrentHashMap<>();

    /** Per type: forecasts made since its model was chosen, the chosen one included. */
    private final Map<String, Integer> sinceChoice = new ConcurrentHashMap<>();

    /** Per type: forecasts made since its members' parameters were last estimated. */
    private final Map<String, Integer> sinceRefit = new ConcurrentHashMap<>();

    /**
     * Per type: its latest forecast and what it was made from. The same history and horizon again
     * (an external event's revision of the origin just forecast) get it back, and neither refit nor
     * count as a forecast: the type's parameters and choices move with its origins only.
     */
    private final Map<String, Made> latest = new ConcurrentHashMap<>();

    private record Choice(int length, DeployRule rule, Combination combination) {}

    private record Made(int length, int horizon, long fingerprint, ArrivalsForecast forecast) {}

    public SelectionForecaster(int season, int longSeason, int maxHistory) {
        this(season, longSeason, maxHistory, 1);
    }

    /**
     * @param refitEvery forecasts of a type per re-estimation of its members' parameters (1: at
     *     every forecast)
     */
    public SelectionForecaster(int season, int longSeason, int maxHistory, int refitEvery) {
        this(season, longSeason, maxHistory, refitEvery, season);
    }

    /**
     * @param chooseEvery steps of new history (once the history is cut to {@code maxHistory}:
     *     forecasts) per new choice, at least a season; while the history is shorter than that, a
     *     new choice each time it has grown by its length at the last choice (or a season)
     */
    public SelectionForecaster(
            int season, int longSeason, int maxHistory, int refitEvery, int chooseEvery) {
        if (season < 2
                || longSeason < 0
                || maxHistory < 1
                || refitEvery < 1
                || chooseEvery < season) {
            throw new IllegalArgumentException(
                    "bad seasons, history window, refit or choice interval");
        }
        this.season = season;
        this.longSeason = longSeason;
        this.maxHistory = maxHistory;
        this.refitEvery = refitEvery;
        this.chooseEvery = chooseEvery;
    }

    /**
     * The forecaster for steps of {@code stepMs}, with the seasons of {@link Seasons}, refitting at
     * every forecast.
     */
    public static SelectionForecaster forStep(long stepMs) {
        return forStep(stepMs, 1);
    }

    /** The same, re-estimating the parameters every {@code refitEvery} forecasts of a type. */
    public static SelectionForecaster forStep(long stepMs, int refitEvery) {
        Seasons s = Seasons.forStep(stepMs);
        return forStep(stepMs, refitEvery, s.season());
    }

    /**
     * The same, choosing again every {@code chooseEvery} steps of new history (at least the
     * season).
     */
    public static SelectionForecaster forStep(long stepMs, int refitEvery, int chooseEvery) {
        Seasons s = Seasons.forStep(stepMs);
        return new SelectionForecaster(
                s.season(),
                s.longSeason(),
                s.historySteps(),
                refitEvery,
                Math.max(s.season(), chooseEvery));
    }

    private DeployRule rule(int horizon, boolean withLongSeason) {
        int lng = withLongSeason ? longSeason : 0;
        return rules.computeIfAbsent(
                List.of(horizon, lng),
                k -> {
                    List<Integer> baselines = new ArrayList<>(List.of(season));
                    if (lng > 0) {
                        baselines.add(lng);
                    }
                    return DeployRule.of(
                            new dev.foreshadow.models.forecast.Seasons(
                                    season, lng, baselines, "the step's seasons"),
                            horizon,
                            FOLDS,
                            null);
                });
    }

    @Override
    public ArrivalsForecast forecast(String workflowType, double[] history, int horizon) {
        long fingerprint = fingerprint(history);
        Made m = latest.get(workflowType);
        if (m != null
                && m.length() == history.length
                && m.horizon() == horizon
                && m.fingerprint() == fingerprint) {
            return m.forecast();
        }
        ArrivalsForecast f = made(workflowType, history, horizon);
        latest.put(workflowType, new Made(history.length, horizon, fingerprint, f));
        return f;
    }

    /** A 64-bit hash of every value of {@code history}, in order. */
    private static long fingerprint(double[] history) {
        long h = 1125899906842597L;
        for (double v : history) {
            h = 31 * h + Double.doubleToLongBits(v);
        }
        return h;
    }

    private ArrivalsForecast made(String workflowType, double[] history, int horizon) {
        int n = Math.min(history.length, maxHistory);
        if (n == 0) {
            return ArrivalsForecast.none(horizon, "no history");
        }
        Series series =
                Series.of(
                        workflowType,
                        Arrays.copyOfRange(history, history.length - n, history.length));
        DeployRule rule = rule(horizon, longSeason > 0 && n >= 2 * longSeason + FOLDS * season);
        if (n < DeployRule.minimumLength(FOLDS, horizon, season)) {
            DeployRule.Decision fallback = rule.decide(series, n);
            return of(fallback.forecast(), fallback.model(), fallback.reason());
        }
        Choice choice = chosen.get(workflowType);
        int since = sinceRefit.getOrDefault(workflowType, 0);
        int made = sinceChoice.getOrDefault(workflowType, 0);
        boolean refit = since + 1 >= refitEvery;
        // a young history is chosen for again as it doubles, then every chooseEvery steps
        int every =
                choice == null
                        ? chooseEvery
                        : Math.max(season, Math.min(chooseEvery, choice.length()));
        if (choice == null
                || choice.rule() != rule
                || Math.abs(history.length - choice.length()) >= every
                // a history cut to its window keeps its length: count its new steps by forecasts
                || (history.length >= maxHistory
                        && history.length == choice.length()
                        && made >= every)) {
            List<DeployRule.Fold> folds =
                    refitEvery > 1
                            ? rule.backtestKeepingParameters(series, n)
                            : rule.backtest(series, n);
            choice = new Choice(history.length, rule, rule.choose(series, folds));
            chosen.put(workflowType, choice);
            refit = true; // the members' last fits were the backtest's, on shorter histories
            made = 0;
        }
        sinceChoice.put(workflowType, made + 1);
        sinceRefit.put(workflowType, refit ? 0 : since + 1);
        Combination c = choice.combination();
        return of(c.forecast(series, n, horizon, refit), c.name(), c.reason());
    }

    private static ArrivalsForecast of(Forecast f, String model, String why) {
        return new ArrivalsForecast(f.p10(), f.p50(), f.p90(), model, why);
    }
}
