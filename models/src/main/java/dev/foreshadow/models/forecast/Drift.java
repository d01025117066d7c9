package dev.foreshadow.models.forecast;

/**
 * The drift method: the last value plus {@code h} times the average change over the history, {@code
 * y[T+h] = y[T] + h (y[T] - y[1]) / (T - 1)}, a random walk with drift (Hyndman & Athanasopoulos,
 * "Forecasting: Principles and Practice", 3rd ed., section 5.2). The 80% interval uses the spread
 * of the one-step changes around their mean, widening as {@code sqrt(h (1 + h / T))} (ibid.,
 * section 5.5, table 5.2).
 */
final class Drift extends LocalModel {

    @Override
    public String name() {
        return "drift";
    }

    @Override
    Forecast forecast(double[] history, int horizon) {
        int n = history.length;
        double last = history[n - 1];
        double slope = n > 1 ? (last - history[0]) / (n - 1) : 0;
        double squares = 0;
        for (int t = 1; t < n; t++) {
            double e = history[t] - history[t - 1] - slope;
            squares += e * e;
        }
        double sigma = sd(squares, n - 1);
        double[] p50 = new double[horizon];
        double[] sd = new double[horizon];
        for (int h = 1; h <= horizon; h++) {
            p50[h - 1] = last + h * slope;
            sd[h - 1] = sigma * Math.sqrt(h * (1 + (double) h / n));
        }
        return Forecast.normal(p50, sd);
    }
}
