package dev.foreshadow.models.forecast;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.hipparchus.exception.MathIllegalStateException;
import org.hipparchus.optim.InitialGuess;
import org.hipparchus.optim.MaxEval;
import org.hipparchus.optim.nonlinear.scalar.GoalType;
import org.hipparchus.optim.nonlinear.scalar.ObjectiveFunction;
import org.hipparchus.optim.nonlinear.scalar.noderiv.NelderMeadSimplex;
import org.hipparchus.optim.nonlinear.scalar.noderiv.SimplexOptimizer;

/**
 * Exponential smoothing (Holt-Winters) in the additive-error state-space form of Hyndman &
 * Athanasopoulos, "Forecasting: Principles and Practice", 3rd ed., chapter 8 (table 8.7): level,
 * optional additive or damped trend (Gardner & McKenzie 1985), and either one additive or
 * multiplicative season, or two additive seasons, daily and weekly, as in Taylor's double seasonal
 * Holt-Winters ("Short-term electricity demand forecasting using double seasonal exponential
 * smoothing", JORS 54, 2003) including his AR(1) adjustment of the one-step error.
 *
 * <p>The smoothing parameters are fitted by Nelder-Mead (Hipparchus), each mapped through a
 * logistic to its admissible range ({@code 0 < beta < alpha}, {@code 0 < gamma < 1 - alpha}, {@code
 * 0.8 <= phi <= 0.98}), on the mean absolute error of the forecasts of every step of the horizon
 * the model is asked for, made from in-sample origins a few steps apart (a multi-step "trace"
 * criterion: Svetunkov, Kourentzes & Killick, "Multi-step estimators and shrinkage effect in time
 * series models", Computational Statistics, 2023; R's {@code ets(opt.crit = "amse")}). The usual
 * one-step criterion lets smooth high-frequency data (hourly demand) choose {@code alpha} and
 * {@code beta} near 1: the level and slope then chase the curve of the day, which one step ahead is
 * right and one day ahead extrapolates far off. Origins are spaced by a stride prime to the
 * seasons, so that every phase of the season is a forecast origin, and start after two of the
 * longest seasons, so that the heuristic initial states (from the first complete seasons, as in the
 * classical Holt-Winters start) have been corrected by the data. A refit of the same series starts
 * from the previous fit's parameters; {@link #filtered} keeps them and only runs the filter.
 * Seasons that the history cannot support (fewer than two complete cycles) are dropped. With {@code
 * log} the model runs on log values (positive data only), which makes every component
 * multiplicative, and the median is forecast. The 80% interval uses the analytic variance of the
 * additive model with the one-step error spread (ibid., table 8.8).
 */
final class ExponentialSmoothing extends LocalModel {

    enum Trend {
        NONE,
        ADDITIVE,
        DAMPED
    }

    enum Seasonality {
        NONE,
        ADDITIVE,
        MULTIPLICATIVE
    }

    private final Trend trend;
    private final Seasonality seasonality;
    private final int season;

    /** The second (longer) season, a multiple of {@code season}, or 0 for one season. */
    private final int longSeason;

    private final boolean log;

    /** The unconstrained parameters of the last fit of each series, where its next refit starts. */
    private final Map<String, double[]> lastFit = new ConcurrentHashMap<>();

    ExponentialSmoothing(
            Trend trend, Seasonality seasonality, int season, int longSeason, boolean log) {
        if (longSeason > 0 && (seasonality != Seasonality.ADDITIVE || longSeason % season != 0)) {
            throw new IllegalArgumentException(
                    "a second season must be an additive multiple of the first");
        }
        this.trend = trend;
        this.seasonality = seasonality;
        this.season = season;
        this.longSeason = longSeason;
        this.log = log;
    }

    @Override
    public String name() {
        StringBuilder name = new StringBuilder("ets-");
        name.append(trend == Trend.NONE ? "n" : trend == Trend.ADDITIVE ? "a" : "ad");
        name.append(
                seasonality == Seasonality.NONE
                        ? "-n"
                        : seasonality == Seasonality.ADDITIVE ? "-a" : "-m");
        if (seasonality != Seasonality.NONE) {
            name.append(season);
        }
        if (longSeason > 0) {
            name.append('x').append(longSeason);
        }
        if (log) {
            name.append("-log");
        }
        return name.toString();
    }

    @Override
    Forecast forecast(double[] history, int horizon) {
        return forecast(null, history, horizon);
    }

    /**
     * The name of the model that forecasts exactly as this one on the history before {@code origin}
     * (the model on values, for a model on logs and a history with values of 0 or less), or null.
     */
    String twin(Series series, int origin) {
        if (!log) {
            return null;
        }
        double[] y = series.values();
        for (int t = 0; t < origin; t++) {
            if (!(y[t] > 0)) {
                return new ExponentialSmoothing(trend, seasonality, season, longSeason, false)
                        .name();
            }
        }
        return null;
    }

    @Override
    Forecast forecast(String seriesId, double[] history, int horizon) {
        return forecast(seriesId, history, horizon, true);
    }

    @Override
    Forecast filtered(String seriesId, double[] history, int horizon) {
        return forecast(seriesId, history, horizon, false);
    }

    /**
     * The forecast of the history; with {@code refit} false, the parameters of the series' last fit
     * (of the same components) are kept and only the states are filtered through the history, one
     * pass instead of a search of hundreds.
     */
    private Forecast forecast(String seriesId, double[] history, int horizon, boolean refit) {
        boolean useLog = log && positive(history);
        double[] y = history;
        if (useLog) {
            y = new double[history.length];
            for (int t = 0; t < y.length; t++) {
                y[t] = Math.log(history[t]);
            }
        }
        Seasonality s = seasonality;
        int m = season;
        int m2 = longSeason;
        if (m2 > 0 && y.length < 2 * m2) {
            m2 = 0;
        }
        if (s != Seasonality.NONE && y.length < 2 * m) {
            s = Seasonality.NONE;
        }
        if (s == Seasonality.MULTIPLICATIVE && !positive(y)) {
            s = Seasonality.ADDITIVE;
        }
        String key = seriesId == null ? null : seriesId + "/" + s + m + "x" + m2;
        Spec spec = new Spec(trend, s, m, m2);
        double[] kept = key == null ? null : lastFit.get(key);
        Fit fit =
                !refit && kept != null && kept.length == spec.dimension()
                        ? filter(y, spec, State.initial(y, spec), kept)
                        : fit(y, spec, horizon, kept);
        if (key != null) {
            lastFit.put(key, fit.point());
        }
        Forecast forecast = fit.forecast(horizon);
        return useLog ? forecast.exp() : forecast;
    }

    /** The unconstrained parameters of the last fit of the series with one season; for tests. */
    double[] lastFitOf(String seriesId, int m) {
        return lastFit.get(seriesId + "/" + seasonality + m + "x0");
    }

    /**
     * Fits the parameters on one-step errors; visible for tests, which check that known parameters
     * are recovered.
     */
    static Fit fit(double[] y, Trend trend, Seasonality seasonality, int m, int m2) {
        return fit(y, new Spec(trend, seasonality, m, m2), 1, null);
    }

    /**
     * Fits the parameters for forecasts of {@code horizon} steps, starting the search from {@code
     * start} (the unconstrained point of a previous fit) when given.
     */
    static Fit fit(double[] y, Spec spec, int horizon, double[] start) {
        int dim = spec.dimension();
        boolean warm = start != null && start.length == dim;
        double[] first = warm ? start.clone() : new double[dim];
        if (!warm) {
            // start near alpha 0.3, beta 0.1 alpha, phi 0.9, gammas 0.1 (1 - alpha), ar 0.5
            Arrays.fill(first, -1.5);
            first[0] = -0.85;
        }
        State initial = State.initial(y, spec);
        Objective criterion = Objective.of(y.length, horizon, spec);
        double[] best = first.clone();
        double[] bestValue = {Double.POSITIVE_INFINITY};
        ObjectiveFunction objective =
                new ObjectiveFunction(
                        point -> {
                            double value =
                                    spec.run(y, spec.parameters(point), initial, null, criterion);
                            if (value < bestValue[0]) {
                                bestValue[0] = value;
                                System.arraycopy(point, 0, best, 0, dim);
                            }
                            return value;
                        });
        try {
            new SimplexOptimizer(1e-8, 1e-10)
                    .optimize(
                            new MaxEval((warm ? 100 : 200) * (dim + 1)),
                            objective,
                            GoalType.MINIMIZE,
                            new InitialGuess(first),
                            new NelderMeadSimplex(dim, warm ? 0.5 : 1.0));
        } catch (MathIllegalStateException budgetSpent) {
            // the evaluation budget is spent: the best point seen so far is the fit
        }
        return filter(y, spec, initial, best);
    }

    /**
     * The model of the unconstrained parameters {@code point}, not re-estimated: the states
     * filtered once through {@code y} from {@code initial}.
     */
    static Fit filter(double[] y, Spec spec, State initial, double[] point) {
        double[] parameters = spec.parameters(point);
        State end = initial.copy();
        double sse = spec.run(y, parameters, initial, end, null);
        int effective = Math.max(1, y.length - spec.dimension() - 1);
        return new Fit(spec, parameters, point, end, Math.sqrt(sse / effective), y.length);
    }

    /**
     * The fitting criterion: mean absolute error of the forecasts of steps 1..{@code horizon} made
     * from every {@code stride}-th origin from {@code from} on; {@link #of} returns null (least
     * squares of one-step errors) for a horizon of one step.
     */
    record Objective(int horizon, int stride, int from) {

        static Objective of(int n, int horizon, Spec spec) {
            if (horizon <= 1) {
                return null; // one step ahead: least squares, the likelihood of additive errors
            }
            int longest = Math.max(1, Math.max(spec.m(), spec.m2()));
            int from = Math.min(2 * longest, n / 2);
            int stride = Math.max(1, (horizon + 6) / 7);
            while (gcd(stride, spec.m()) != 1 || (spec.m2() > 0 && gcd(stride, spec.m2()) != 1)) {
                stride++;
            }
            return new Objective(horizon, stride, from);
        }

        private static int gcd(int a, int b) {
            return b == 0 ? a : gcd(b, a % b);
        }
    }

    /** Which components are present. */
    record Spec(Trend trend, Seasonality seasonality, int m, int m2) {

        int dimension() {
            int dim = 1;
            if (trend != Trend.NONE) {
                dim++;
            }
            if (trend == Trend.DAMPED) {
                dim++;
            }
            if (seasonality != Seasonality.NONE) {
                dim++;
            }
            if (m2 > 0) {
                dim += 2; // the weekly gamma and the AR(1) coefficient
            }
            return dim;
        }

        /** Maps an unconstrained point to {alpha, beta, phi, gamma, gamma2, ar}. */
        double[] parameters(double[] x) {
            int i = 0;
            double alpha = 0.0001 + 0.9998 * logistic(x[i++]);
            double beta = trend != Trend.NONE ? alpha * logistic(x[i++]) : 0;
            double phi = trend == Trend.DAMPED ? 0.8 + 0.18 * logistic(x[i++]) : 1;
            double gamma = seasonality != Seasonality.NONE ? (1 - alpha) * logistic(x[i++]) : 0;
            double gamma2 = m2 > 0 ? (1 - alpha) * logistic(x[i++]) : 0;
            double ar = m2 > 0 ? 0.99 * logistic(x[i]) : 0;
            return new double[] {alpha, beta, phi, gamma, gamma2, ar};
        }

        /**
         * Runs the filter over {@code y} from {@code initial}; returns the criterion's value, or
         * without a criterion the sum of squared one-step errors, and leaves the last state in
         * {@code end}.
         */
        double run(double[] y, double[] p, State initial, State end, Objective criterion) {
            double alpha = p[0], beta = p[1], phi = p[2], gamma = p[3], gamma2 = p[4], ar = p[5];
            boolean multiplicative = seasonality == Seasonality.MULTIPLICATIVE;
            boolean seasonal1 = seasonality != Seasonality.NONE;
            int horizon = criterion == null ? 0 : criterion.horizon();
            // Each season's states, laid out again after its end for as many steps as the horizon
            // (s1[j] == s1[j - m]), so that the forecasts read s1[i1 + h] without wrapping; a
            // component that is absent reads 0 (1 when multiplicative), as the formulas add it.
            double[] s1 = extended(initial.season, seasonal1 ? m : 0, horizon, multiplicative);
            double[] s2 = extended(initial.season2, m2, horizon, false);
            // The damping and AR(1) factors of step h, the same for every origin: phi + ... +
            // phi^(h+1) and ar^(h+1), multiplied out in the order the forecasts used to.
            double[] phiSums = new double[horizon];
            double[] arPowers = new double[horizon];
            double phiSum = 0;
            double phiPower = 1;
            double arPower = 1;
            for (int h = 0; h < horizon; h++) {
                phiPower *= phi;
                phiSum += phiPower;
                arPower *= ar;
                phiSums[h] = phiSum;
                arPowers[h] = arPower;
            }
            double level = initial.level;
            double slope = initial.slope;
            double lastError = 0;
            double sse = 0;
            double absolute = 0;
            long count = 0;
            int n = y.length;
            // the next origin of the criterion: from `from` on, where (n - t) % stride == 0
            int stride = criterion == null ? 1 : criterion.stride();
            int origin = criterion == null ? n : criterion.from() + (n - criterion.from()) % stride;
            // the seasonal indices t % m and t % m2, stepped rather than divided: this loop runs
            // hundreds of times per fit, and an integer division costs more than its arithmetic
            int i1 = 0;
            int i2 = 0;
            for (int t = 0; t < n; t++) {
                double base = level + phi * slope;
                double seasonal = s1[i1];
                double fitted = multiplicative ? base * seasonal : base + seasonal + s2[i2];
                fitted += ar * lastError;
                double e = y[t] - fitted;
                if (!Double.isFinite(e)) {
                    return Double.MAX_VALUE;
                }
                sse += e * e;
                if (t == origin) {
                    // the forecasts of steps t .. t + horizon - 1 from the state before y[t]
                    int steps = Math.min(horizon, n - t);
                    for (int h = 0; h < steps; h++) {
                        double b = level + phiSums[h] * slope;
                        double f = multiplicative ? b * s1[i1 + h] : b + s1[i1 + h] + s2[i2 + h];
                        absolute += Math.abs(y[t + h] - f - arPowers[h] * lastError);
                    }
                    count += steps;
                    origin += stride;
                }
                if (multiplicative) {
                    level = base + alpha * e / seasonal;
                    slope = phi * slope + beta * e / seasonal;
                    set(s1, i1, m, seasonal + gamma * e / base);
                } else {
                    level = base + alpha * e;
                    slope = phi * slope + beta * e;
                    if (seasonal1) {
                        set(s1, i1, m, seasonal + gamma * e);
                    }
                    if (m2 > 0) {
                        set(s2, i2, m2, s2[i2] + gamma2 * e);
                    }
                }
                lastError = e;
                if (seasonal1 && ++i1 == m) {
                    i1 = 0;
                }
                if (m2 > 0 && ++i2 == m2) {
                    i2 = 0;
                }
            }
            if (end != null) {
                end.level = level;
                end.slope = slope;
                end.season = Arrays.copyOf(s1, initial.season.length);
                end.season2 = Arrays.copyOf(s2, initial.season2.length);
                end.lastError = lastError;
            }
            return criterion == null ? sse : count > 0 ? absolute / count : Double.MAX_VALUE;
        }

        /**
         * The seasonal states {@code states} of a season of {@code period} steps followed by their
         * repetition over {@code horizon} more steps; without the season ({@code period} 0), as
         * many neutral values (0, or 1 when {@code multiplicative}).
         */
        private static double[] extended(
                double[] states, int period, int horizon, boolean multiplicative) {
            if (period == 0) {
                double[] out = new double[Math.max(states.length, horizon)];
                Arrays.fill(out, multiplicative ? 1 : 0);
                return out;
            }
            double[] out = new double[period + horizon];
            for (int j = 0; j < out.length; j++) {
                out[j] = states[j % period];
            }
            return out;
        }

        /** Sets the state of phase {@code i} and its repetitions in an {@link #extended} array. */
        private static void set(double[] states, int i, int period, double value) {
            for (int j = i; j < states.length; j += period) {
                states[j] = value;
            }
        }
    }

    /**
     * Level, slope, seasonal states (indexed by absolute step modulo the season) and the last
     * one-step error.
     */
    static final class State {
        double level;
        double slope;
        double[] season;
        double[] season2;
        double lastError;

        State copy() {
            State c = new State();
            c.level = level;
            c.slope = slope;
            c.season = season.clone();
            c.season2 = season2.clone();
            c.lastError = lastError;
            return c;
        }

        static State initial(double[] y, Spec spec) {
            State st = new State();
            int m =
                    spec.seasonality() == Seasonality.NONE
                            ? Math.min(y.length, Math.max(1, spec.m()))
                            : spec.m();
            int cycles = Math.max(1, Math.min(4, y.length / m));
            double first = mean(y, 0, m);
            st.level = first;
            st.slope = 0;
            if (spec.trend() != Trend.NONE && y.length >= 2 * m) {
                st.slope = (mean(y, m, 2 * m) - first) / m;
            }
            st.season = new double[Math.max(1, spec.m())];
            st.season2 = new double[Math.max(1, spec.m2())];
            if (spec.seasonality() == Seasonality.MULTIPLICATIVE) {
                Arrays.fill(st.season, 0);
                for (int c = 0; c < cycles; c++) {
                    double cycleMean = mean(y, c * m, (c + 1) * m);
                    for (int j = 0; j < m; j++) {
                        st.season[j] += y[c * m + j] / cycleMean / cycles;
                    }
                }
            } else if (spec.seasonality() == Seasonality.ADDITIVE && spec.m2() == 0) {
                for (int c = 0; c < cycles; c++) {
                    double cycleMean = mean(y, c * m, (c + 1) * m);
                    for (int j = 0; j < m; j++) {
                        st.season[j] += (y[c * m + j] - cycleMean) / cycles;
                    }
                }
            } else if (spec.m2() > 0) {
                int m2 = spec.m2();
                int weeks = Math.max(1, Math.min(4, y.length / m2));
                st.level = mean(y, 0, m2);
                if (spec.trend() != Trend.NONE && y.length >= 2 * m2) {
                    st.slope = (mean(y, m2, 2 * m2) - st.level) / m2;
                }
                double[] weekMean = new double[weeks];
                for (int w = 0; w < weeks; w++) {
                    weekMean[w] = mean(y, w * m2, (w + 1) * m2);
                }
                int[] count = new int[m];
                for (int t = 0; t < weeks * m2; t++) {
                    st.season[t % m] += y[t] - weekMean[t / m2];
                    count[t % m]++;
                }
                for (int j = 0; j < m; j++) {
                    st.season[j] /= count[j];
                }
                for (int t = 0; t < weeks * m2; t++) {
                    st.season2[t % m2] += (y[t] - weekMean[t / m2] - st.season[t % m]) / weeks;
                }
            }
            if (spec.seasonality() == Seasonality.NONE) {
                st.level = y[0];
            }
            return st;
        }
    }

    /**
     * A fitted model: parameters, the state after the last observation, and the one-step error
     * spread.
     */
    record Fit(Spec spec, double[] parameters, double[] point, State end, double sigma, int n) {

        double alpha() {
            return parameters[0];
        }

        double beta() {
            return parameters[1];
        }

        double gamma() {
            return parameters[3];
        }

        Forecast forecast(int horizon) {
            double alpha = parameters[0], beta = parameters[1], phi = parameters[2];
            double gamma = parameters[3], gamma2 = parameters[4], ar = parameters[5];
            double[] p50 = new double[horizon];
            double[] sd = new double[horizon];
            double phiSum = 0;
            double phiPower = 1;
            double variance = 0;
            double arPower = ar;
            for (int h = 0; h < horizon; h++) {
                phiPower *= phi;
                phiSum += phiPower;
                int t = n + h;
                double base = end.level + phiSum * end.slope;
                double value;
                double scale = 1;
                switch (spec.seasonality()) {
                    case MULTIPLICATIVE -> {
                        scale = end.season[t % spec.m()];
                        value = base * scale;
                    }
                    case ADDITIVE ->
                            value =
                                    base
                                            + end.season[t % spec.m()]
                                            + (spec.m2() > 0 ? end.season2[t % spec.m2()] : 0);
                    default -> value = base;
                }
                value += arPower * end.lastError;
                arPower *= ar;
                p50[h] = value;
                // c_j for j = h (the effect of the innovation h steps back on this step)
                sd[h] = sigma * Math.sqrt(1 + variance) * scale;
                int j = h + 1;
                double c =
                        alpha
                                + beta * phiSum
                                + (spec.seasonality() != Seasonality.NONE && j % spec.m() == 0
                                        ? gamma
                                        : 0)
                                + (spec.m2() > 0 && j % spec.m2() == 0 ? gamma2 : 0);
                variance += c * c;
            }
            return Forecast.normal(p50, sd);
        }
    }

    private static double logistic(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    private static double mean(double[] y, int from, int to) {
        to = Math.min(to, y.length);
        double sum = 0;
        for (int t = from; t < to; t++) {
            sum += y[t];
        }
        return to > from ? sum / (to - from) : 0;
    }
}
