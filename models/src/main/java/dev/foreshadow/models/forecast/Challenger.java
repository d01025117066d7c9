package dev.foreshadow.models.forecast;

import java.util.Locale;

/**
 * Whether a newly trained model replaces the registered one (a champion/challenger test): both
 * forecast the same rolling-origin folds at the end of the new history ({@link DeployRule}'s folds:
 * Tashman, "Out-of-sample tests of forecasting accuracy", IJF 16(4), 2000), and the challenger
 * replaces the champion only when its mean MASE there is lower. A champion that cannot forecast
 * these folds (another horizon, a missing member) is replaced.
 *
 * <p>In: the rule (folds, horizon, season), the challenger, the champion (null when none is
 * registered), the series. Out: a {@link Verdict} with both scores and a sentence saying why.
 */
public final class Challenger {

    private Challenger() {}

    /** Whether to replace, both mean scores (the champion's null when it has none), and why. */
    public record Verdict(
            boolean replace, Backtest.Score challenger, Backtest.Score champion, String why) {}

    /** The model's mean score over the rule's folds at the end of {@code series}. */
    public static Backtest.Score score(DeployRule rule, ForecastModel model, Series series) {
        int[] origins = Backtest.origins(series.length(), rule.folds(), rule.horizon(), 0);
        Backtest.Score[] scores = new Backtest.Score[origins.length];
        for (int i = 0; i < origins.length; i++) {
            int o = origins[i];
            Forecast f = DeployRule.bounded(model.forecast(series, o, rule.horizon()), series, o);
            scores[i] = Backtest.Score.of(series, o, f, rule.season());
        }
        return Backtest.mean(scores);
    }

    /** The verdict on {@code challenger} against {@code champion} (null: none registered). */
    public static Verdict judge(
            DeployRule rule, ForecastModel challenger, ForecastModel champion, Series series) {
        Backtest.Score mine = score(rule, challenger, series);
        if (champion == null) {
            return new Verdict(true, mine, null, "first version");
        }
        Backtest.Score theirs;
        try {
            theirs = score(rule, champion, series);
        } catch (RuntimeException failed) {
            return new Verdict(
                    true,
                    mine,
                    null,
                    "the registered version cannot forecast these folds: " + failed.getMessage());
        }
        boolean better = mine.mase() < theirs.mase();
        return new Verdict(
                better,
                mine,
                theirs,
                String.format(
                        Locale.ROOT,
                        better ? "MASE %.3f < %.3f" : "MASE %.3f <= %.3f",
                        better ? mine.mase() : theirs.mase(),
                        better ? theirs.mase() : mine.mase()));
    }
}
