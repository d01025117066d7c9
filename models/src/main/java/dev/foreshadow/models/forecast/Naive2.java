package dev.foreshadow.models.forecast;

/**
 * Naive2, the M4 reference that OWA is relative to (Makridakis et al., IJF 2020, and the
 * competition's R benchmark code): when the series passes a 90% autocorrelation test for
 * seasonality at lag m, it is divided by the seasonal indices of a classical multiplicative
 * decomposition (R's {@code decompose}), forecast with the last adjusted value, and
 * re-seasonalised; otherwise plain naive.
 */
final class Naive2 extends LocalModel {

    private final int season;

    Naive2(int season) {
        this.season = season;
    }

    @Override
    public String name() {
        return "naive2";
    }

    @Override
    Forecast forecast(double[] history, int horizon) {
        int n = history.length;
        double[] seasonal = new double[season];
        java.util.Arrays.fill(seasonal, 1.0);
        if (season > 1 && Seasons.confirmed(history, season)) {
            seasonal = multiplicativeIndices(history, season);
        }
        double[] adjusted = new double[n];
        for (int t = 0; t < n; t++) {
            adjusted[t] = history[t] / seasonal[t % season];
        }
        double squares = 0;
        for (int t = 1; t < n; t++) {
            double e = adjusted[t] - adjusted[t - 1];
            squares += e * e;
        }
        double sigma = sd(squares, n - 1);
        double[] p50 = new double[horizon];
        double[] sd = new double[horizon];
        for (int h = 0; h < horizon; h++) {
            double index = seasonal[(n + h) % season];
            p50[h] = adjusted[n - 1] * index;
            sd[h] = sigma * Math.sqrt(h + 1) * index;
        }
        return Forecast.normal(p50, sd);
    }

    /**
     * Seasonal indices of R's {@code decompose(type = "multiplicative")}: centred moving average
     * trend, ratios averaged per phase (phase 0 = the first observation), normalised to mean 1.
     */
    static double[] multiplicativeIndices(double[] x, int m) {
        int n = x.length;
        double[] ratioSum = new double[m];
        int[] ratioCount = new int[m];
        int half = m / 2;
        for (int t = half; t < n - half; t++) {
            double trend;
            if (m % 2 == 0) {
                double s = 0.5 * x[t - half] + 0.5 * x[t + half];
                for (int j = t - half + 1; j < t + half; j++) {
                    s += x[j];
                }
                trend = s / m;
            } else {
                double s = 0;
                for (int j = t - half; j <= t + half; j++) {
                    s += x[j];
                }
                trend = s / m;
            }
            ratioSum[t % m] += x[t] / trend;
            ratioCount[t % m]++;
        }
        double[] index = new double[m];
        double mean = 0;
        for (int i = 0; i < m; i++) {
            index[i] = ratioCount[i] > 0 ? ratioSum[i] / ratioCount[i] : 1;
            mean += index[i];
        }
        mean /= m;
        for (int i = 0; i < m; i++) {
            index[i] /= mean;
        }
        return index;
    }
}
