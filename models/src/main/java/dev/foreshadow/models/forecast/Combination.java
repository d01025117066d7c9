package dev.foreshadow.models.forecast;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the {@link DeployRule} deploys for one series: one candidate, or a weighted combination of
 * several, each member's interval first rescaled by the factors its own backtest called for.
 *
 * <p>Input: the members (name, weight, lower and upper interval scale), and either their forecasts
 * ({@link #combine}) or a series to forecast ({@link #forecast}, which runs the member models).
 * Output: a forecast whose every quantile is the weighted mean of the members' rescaled quantiles
 * (quantile averaging: Lichtendahl, Grushka-Cockayne & Winkler, "Is it better to average
 * probabilities or quantiles?", Management Science 59(7), 2013), at least 0 when the history never
 * went below 0.
 */
public final class Combination implements ForecastModel {

    /**
     * One member: its weight (the members' weights sum to 1) and the factors that scale the
     * distances from its median to its P10 ({@code lower}) and to its P90 ({@code upper}).
     */
    public record Member(String name, double weight, double lower, double upper) {}

    private final String name;
    private final List<Member> members;
    private final List<ForecastModel> models;
    private final String reason;

    Combination(String name, List<Member> members, List<ForecastModel> models, String reason) {
        if (members.isEmpty() || members.size() != models.size()) {
            throw new IllegalArgumentException("a combination needs one model per member");
        }
        this.name = name;
        this.members = List.copyOf(members);
        this.models = List.copyOf(models);
        this.reason = reason;
    }

    @Override
    public String name() {
        return name;
    }

    public List<Member> members() {
        return members;
    }

    /** Why the rule deployed this (empty when read back from an artifact). */
    public String reason() {
        return reason;
    }

    List<ForecastModel> models() {
        return models;
    }

    @Override
    public Forecast forecast(Series series, int origin, int horizon) {
        return forecast(series, origin, horizon, true);
    }

    /**
     * The forecast; with {@code refit} false, the members keep the parameters of their last fit of
     * the series ({@link LocalModel#forecastKeepingParameters}).
     */
    public Forecast forecast(Series series, int origin, int horizon, boolean refit) {
        Map<String, Forecast> forecasts = new LinkedHashMap<>();
        for (ForecastModel m : models) {
            Forecast f = LocalModel.forecast(m, series, origin, horizon, refit);
            forecasts.put(m.name(), DeployRule.bounded(f, series, origin));
        }
        return DeployRule.bounded(combine(forecasts), series, origin);
    }

    /** The combination of the members' forecasts (by name; others are ignored). */
    public Forecast combine(Map<String, Forecast> forecasts) {
        int horizon = forecasts.get(members.get(0).name()).horizon();
        double[][] q = new double[3][horizon];
        for (Member m : members) {
            Forecast f = forecasts.get(m.name());
            if (f == null) {
                throw new IllegalArgumentException("no forecast of member " + m.name());
            }
            for (int h = 0; h < horizon; h++) {
                double median = f.p50()[h];
                q[0][h] += m.weight() * (median - m.lower() * (median - f.p10()[h]));
                q[1][h] += m.weight() * median;
                q[2][h] += m.weight() * (median + m.upper() * (f.p90()[h] - median));
            }
        }
        return new Forecast(q[0], q[1], q[2]);
    }
}
