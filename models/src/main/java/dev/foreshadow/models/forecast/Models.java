package dev.foreshadow.models.forecast;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
     * The local candidates for a series with the given season: seasonal naive (one season and, when
     * given, the long season), damped additive Holt-Winters, Holt-Winters on logs (multiplicative),
     * and the double seasonal variant when a long season is given.
     */
    public static List<ForecastModel> localCandidates(int season, int longSeason) {
        List<ForecastModel> models = new ArrayList<>();
        models.add(new SeasonalNaive(season));
        if (longSeason > 0) {
            models.add(new SeasonalNaive(longSeason));
        }
        models.add(ets("ad", season, 0, false));
        models.add(ets("ad", season, 0, true));
        if (longSeason > 0) {
            models.add(ets("n", season, longSeason, false));
            models.add(ets("n", season, longSeason, true));
        }
        return models;
    }

    /**
     * The combinations considered next to their members: the median of the seasonal naive, the
     * best-suited exponential smoothing and the LSTM, and the mean of exponential smoothing and
     * LSTM.
     */
    public static List<ForecastModel> combinations(List<ForecastModel> locals, ForecastModel lstm) {
        Map<String, ForecastModel> byName = new java.util.HashMap<>();
        for (ForecastModel m : locals) {
            byName.put(m.name(), m);
        }
        ForecastModel ets =
                locals.stream()
                        .filter(m -> m.name().contains("x"))
                        .reduce((a, b) -> b)
                        .orElse(null);
        if (ets == null) {
            ets =
                    locals.stream()
                            .filter(m -> m.name().startsWith("ets-"))
                            .reduce((a, b) -> b)
                            .orElseThrow();
        }
        ForecastModel snaive =
                locals.stream()
                        .filter(m -> m.name().startsWith("snaive"))
                        .reduce((a, b) -> b)
                        .orElseThrow();
        List<ForecastModel> combos = new ArrayList<>();
        combos.add(new Ensemble("combo-ets-lstm", List.of(ets, lstm)));
        combos.add(new Ensemble("combo-snaive-ets-lstm", List.of(snaive, ets, lstm)));
        return combos;
    }

    /**
     * A local model from its registry name (see {@link ForecastModel#name()}); the LSTM is loaded
     * separately.
     */
    public static ForecastModel byName(String name) {
        if (name.equals("naive")) {
            return new SeasonalNaive(1);
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
                        + "-a"
                        + season
                        + (longSeason > 0 ? "x" + longSeason : "")
                        + (log ? "-log" : ""));
    }
}
