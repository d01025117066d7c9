package dev.foreshadow.models.forecast;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An equally weighted combination, as registered before the deploy rule weighted its members (kept
 * so that those artifacts still load; new ones are {@link Combination}s): each quantile is the
 * median (or, for two members, the mean) of the members' quantiles at that step. Simple
 * combinations of diverse forecasts are hard to beat (Clemen, "Combining forecasts: A review and
 * annotated bibliography", IJF 5(4), 1989; the M4 findings, Makridakis et al. 2020).
 */
final class Ensemble implements ForecastModel {

    private final String name;
    private final List<ForecastModel> members;

    Ensemble(String name, List<ForecastModel> members) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("an ensemble needs members");
        }
        this.name = name;
        this.members = List.copyOf(members);
    }

    @Override
    public String name() {
        return name;
    }

    List<ForecastModel> members() {
        return members;
    }

    @Override
    public Forecast forecast(Series series, int origin, int horizon) {
        List<Forecast> forecasts = new ArrayList<>();
        for (ForecastModel m : members) {
            forecasts.add(m.forecast(series, origin, horizon));
        }
        return combine(forecasts);
    }

    static Forecast combine(List<Forecast> forecasts) {
        int horizon = forecasts.get(0).horizon();
        double[][] q = new double[3][horizon];
        double[] v = new double[forecasts.size()];
        for (int h = 0; h < horizon; h++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < v.length; k++) {
                    Forecast f = forecasts.get(k);
                    v[k] = j == 0 ? f.p10()[h] : j == 1 ? f.p50()[h] : f.p90()[h];
                }
                Arrays.sort(v);
                int n = v.length;
                q[j][h] = n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
            }
        }
        return new Forecast(q[0], q[1], q[2]);
    }
}
