package dev.foreshadow.models.forecast;

import java.util.ArrayList;
import java.util.List;

/**
 * The forecasting models by name, and the one candidate set that every evaluation and training uses
 * (no per-dataset tuning). Names are stable: they are stored in the model registry.
 */
public final class Models {

    private Models() {}

    public static ForecastModel seasonalNaive(int season) {
        return new SeasonalNaive(season);
    }

    public static ForecastModel naive2(int season) {
        return new Naive2(season);
    }

    /**
     * The local candidates for series with these seasons: naive, drift, seasonal naive and seasonal
     * median at every baseline period, damped additive Holt-Winters of the season (damped Holt
     * without one) and the same on logs (multiplicative), and the double seasonal variants when
     * there is a long season.
     */
    public static List<ForecastModel> localCandidates(Seasons seasons) {
        List<ForecastModel> models = new ArrayList<>();
        models.add(new SeasonalNaive(1));
        models.add(new Drift());
        for (int period : seasons.baselines()) {
            models.add(new SeasonalNaive(period));
        }
        for (int period : seasons.baselines()) {
            models.add(new SeasonalMedian(period));
        }
        int m = seasons.season();
        int m2 = seasons.longSeason();
        models.add(ets("ad", m, 0, false));
        models.add(ets("ad", m, 0, true));
        if (m2 > 0) {
            models.add(ets("n", m, m2, false));
            models.add(ets("n", m, m2, true));
        }
        return models;
    }

    /**
     * A local model from its registry name (see {@link ForecastModel#name()}); the LSTM is loaded
     * separately.
     */
    public static ForecastModel byName(String name) {
        if (name.equals("naive")) {
            return new SeasonalNaive(1);
        }
        if (name.equals("drift")) {
            return new Drift();
        }
        if (name.startsWith("smedian")) {
            return new SeasonalMedian(Integer.parseInt(name.substring(7)));
        }
        if (name.startsWith("snaive")) {
            return new SeasonalNaive(Integer.parseInt(name.substring(6)));
        }
        if (name.startsWith("ets-")) {
            String[] parts = name.split("-");
            // ets-<trend>-<seasonality><m>[x<m2>][-log]
            ExponentialSmoothing.Trend trend =
                    switch (parts[1]) {
                        case "n" -> ExponentialSmoothing.Trend.NONE;
                        case "a" -> ExponentialSmoothing.Trend.ADDITIVE;
                        case "ad" -> ExponentialSmoothing.Trend.DAMPED;
                        default -> throw new IllegalArgumentException("unknown model " + name);
                    };
            String s = parts[2];
            ExponentialSmoothing.Seasonality seasonality =
                    switch (s.charAt(0)) {
                        case 'n' -> ExponentialSmoothing.Seasonality.NONE;
                        case 'a' -> ExponentialSmoothing.Seasonality.ADDITIVE;
                        case 'm' -> ExponentialSmoothing.Seasonality.MULTIPLICATIVE;
                        default -> throw new IllegalArgumentException("unknown model " + name);
                    };
            int m = 1;
            int m2 = 0;
            if (s.length() > 1) {
                String[] seasons = s.substring(1).split("x");
                m = Integer.parseInt(seasons[0]);
                m2 = seasons.length > 1 ? Integer.parseInt(seasons[1]) : 0;
            }
            boolean log = parts.length > 3 && parts[3].equals("log");
            return new ExponentialSmoothing(trend, seasonality, m, m2, log);
        }
        throw new IllegalArgumentException("unknown model " + name);
    }

    private static ForecastModel ets(String trend, int season, int longSeason, boolean log) {
        return byName(
                "ets-"
                        + trend
                        + (season > 1 ? "-a" + season : "-n")
                        + (longSeason > 0 ? "x" + longSeason : "")
                        + (log ? "-log" : ""));
    }
}
