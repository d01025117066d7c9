package dev.foreshadow.models.forecast;

/**
 * Seasonal naive: every step repeats the value one season earlier, {@code y[T+h] = y[T+h-m*k]} with
 * k the smallest whole number of seasons that reaches back into the history (Hyndman &
 * Athanasopoulos, "Forecasting: Principles and Practice", 3rd ed., section 5.2). The 80% interval
 * uses the spread of the in-sample seasonal differences, growing with the number of seasons looked
 * back (ibid., section 5.5, table 5.2).
 */
final class SeasonalNaive extends LocalModel {

    private final int season;

    SeasonalNaive(int season) {
        if (season < 1) {
            throw new IllegalArgumentException("season must be at least 1, got " + season);
        }
        this.season = season;
    }

    @Override
    public String name() {
        return season == 1 ? "naive" : "snaive" + season;
    }

    @Override
    Forecast forecast(double[] history, int horizon) {
        int n = history.length;
        int m = Math.min(season, n);
        double[] p50 = new double[horizon];
        double[] sd = new double[horizon];
        double squares = 0;
        int count = 0;
        for (int t = m; t < n; t++) {
            double e = history[t] - history[t - m];
            squares += e * e;
            count++;
        }
        double sigma = sd(squares, count);
        for (int h = 0; h < horizon; h++) {
            int k = h / m + 1;
            p50[h] = history[n - k * m + h];
            sd[h] = sigma * Math.sqrt(k);
        }
        return Forecast.normal(p50, sd);
    }
}
