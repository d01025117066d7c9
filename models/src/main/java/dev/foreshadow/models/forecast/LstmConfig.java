package dev.foreshadow.models.forecast;

/**
 * Hyper-parameters of the {@link GlobalLstm}. One configuration serves every series of a dataset.
 *
 * @param horizon steps forecast at once (direct multi-horizon output)
 * @param season the main season in steps (24 for hourly data): calendar phase and the "one season
 *     ago" anchor
 * @param longSeason a longer season (168 for hourly: one week), or 0
 * @param lookback steps of history the LSTM reads
 * @param hidden LSTM and dense layer width
 * @param epochs passes over the training windows
 * @param batchSize windows per gradient step
 * @param learningRate Adam step size
 * @param originStride distance between consecutive training origins of one series
 * @param seed fixes initial weights and the shuffling of windows
 */
public record LstmConfig(
        int horizon,
        int season,
        int longSeason,
        int lookback,
        int hidden,
        int epochs,
        int batchSize,
        double learningRate,
        int originStride,
        long seed) {

    public LstmConfig {
        if (horizon < 1
                || season < 1
                || lookback < 1
                || hidden < 1
                || epochs < 0
                || batchSize < 1) {
            throw new IllegalArgumentException("invalid LSTM configuration " + this);
        }
        if (originStride < 1 || longSeason < 0 || !(learningRate > 0)) {
            throw new IllegalArgumentException("invalid LSTM configuration " + this);
        }
    }

    /** The configuration used by every evaluation and by training. */
    public static LstmConfig defaults(int horizon, int season) {
        int longSeason = season == 24 ? 168 : 0;
        return new LstmConfig(
                horizon, season, longSeason, Math.min(2 * season, 96), 32, 10, 64, 2e-3, 24, 42);
    }

    /**
     * The same configuration for any series and for training from history: {@code longSeason} as
     * the data allows (0 for none), training origins every quarter horizon.
     */
    public static LstmConfig forSeries(int horizon, int season, int longSeason) {
        return new LstmConfig(
                horizon,
                season,
                longSeason,
                Math.min(2 * season, 96),
                32,
                10,
                64,
                2e-3,
                Math.max(1, horizon / 4),
                42);
    }

    public LstmConfig withEpochs(int value) {
        return new LstmConfig(
                horizon,
                season,
                longSeason,
                lookback,
                hidden,
                value,
                batchSize,
                learningRate,
                originStride,
                seed);
    }

    public LstmConfig withSeed(long value) {
        return new LstmConfig(
                horizon,
                season,
                longSeason,
                lookback,
                hidden,
                epochs,
                batchSize,
                learningRate,
                originStride,
                value);
    }

    public LstmConfig withOriginStride(int value) {
        return new LstmConfig(
                horizon,
                season,
                longSeason,
                lookback,
                hidden,
                epochs,
                batchSize,
                learningRate,
                value,
                seed);
    }
}
