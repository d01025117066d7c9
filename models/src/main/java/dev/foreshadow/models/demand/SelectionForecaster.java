package dev.foreshadow.models.demand;

import dev.foreshadow.models.forecast.Backtest;
import dev.foreshadow.models.forecast.DeployRule;
import dev.foreshadow.models.forecast.Forecast;
import dev.foreshadow.models.forecast.ForecastModel;
import dev.foreshadow.models.forecast.Models;
import dev.foreshadow.models.forecast.Series;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link ArrivalsForecaster} over today's {@code models/forecast}: per type, the candidate that
 * {@code eval forecast} and {@code train} would select ({@link DeployRule} over {@link
 * Models#localCandidates}, lowest mean MASE on rolling-origin folds of one season), re-selected
 * every season of new history and refitted at every forecast (the long season joins once the
 * history holds two of it); seasonal naive while the history is too short to select (fewer than two
 * seasons plus the folds), naive below one season. The global LSTM is left out here (it trains for
 * minutes; the registry's choice can include it in the job). Only the last {@code maxHistory} steps
 * are fitted on.
 */
public final class SelectionForecaster implements ArrivalsForecaster {

    static final int FOLDS = 3;

    private final int season;
    private final int longSeason;
    private final int maxHistory;
    private final DeployRule selection;
    private final DeployRule withLongSeason;

    /** Per type: the history length when its model was chosen, and the choice. */
    private final Map<String, Object[]> chosen = new ConcurrentHashMap<>();

    public SelectionForecaster(int season, int longSeason, int maxHistory) {
        if (season < 2 || longSeason < 0 || maxHistory < 1) {
            throw new IllegalArgumentException("bad seasons or history window");
        }
        this.season = season;
        this.longSeason = longSeason;
        this.maxHistory = maxHistory;
        this.selection = DeployRule.of(season, 0, season, FOLDS, null);
        this.withLongSeason =
                longSeason > 0 ? DeployRule.of(season, longSeason, season, FOLDS, null) : selection;
    }

    /** The forecaster for steps of {@code stepMs}, with the seasons of {@link Seasons}. */
    public static SelectionForecaster forStep(long stepMs) {
        Seasons s = Seasons.forStep(stepMs);
        return new SelectionForecaster(s.season(), s.longSeason(), s.historySteps());
    }

    @Override
    public ArrivalsForecast forecast(String workflowType, double[] history, int horizon) {
        int n = Math.min(history.length, maxHistory);
        if (n == 0) {
            return ArrivalsForecast.none(horizon, "no history");
        }
        Series series =
                Series.of(
                        workflowType,
                        Arrays.copyOfRange(history, history.length - n, history.length));
        if (n < season) {
            return of(
                    Models.seasonalNaive(1).forecast(series, n, horizon),
                    "naive",
                    "naive: less than one season of history");
        }
        if (n < (2 + FOLDS) * season) {
            ForecastModel snaive = Models.seasonalNaive(season);
            return of(
                    snaive.forecast(series, n, horizon),
                    snaive.name(),
                    "seasonal naive: too little history to select a model");
        }
        // the long season joins once the history holds two of it besides the folds
        DeployRule candidates =
                longSeason > 0 && n >= 2 * longSeason + FOLDS * season ? withLongSeason : selection;
        Object[] choice = chosen.get(workflowType);
        if (choice == null
                || choice[3] != candidates
                || Math.abs(history.length - (int) choice[0]) >= season) {
            Map<String, Backtest.Score> scores = candidates.backtest(series, n);
            String best = candidates.choose(scores).model();
            choice =
                    new Object[] {
                        history.length,
                        best,
                        String.format(
                                "selected by backtest: MASE %.3f, seasonal naive %.3f",
                                scores.get(best).mase(), scores.get("snaive" + season).mase()),
                        candidates
                    };
            chosen.put(workflowType, choice);
        }
        String name = (String) choice[1];
        DeployRule from = (DeployRule) choice[3];
        return of(from.model(name).forecast(series, n, horizon), name, (String) choice[2]);
    }

    private static ArrivalsForecast of(Forecast f, String model, String why) {
        return new ArrivalsForecast(f.p10(), f.p50(), f.p90(), model, why);
    }
}
