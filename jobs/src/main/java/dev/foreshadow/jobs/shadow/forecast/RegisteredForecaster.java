package dev.foreshadow.jobs.shadow.forecast;

import dev.foreshadow.models.demand.ArrivalsForecast;
import dev.foreshadow.models.demand.ArrivalsForecaster;
import dev.foreshadow.models.demand.SelectionForecaster;
import dev.foreshadow.models.domain.WorkloadKey;
import dev.foreshadow.models.forecast.Forecast;
import dev.foreshadow.models.forecast.Series;
import java.util.Arrays;
import java.util.Map;

/**
 * The Forecast operator's {@link ArrivalsForecaster}: a workflow type's registered model (what
 * {@code train}'s {@code DeployRule} chose on its backtest) once the type has two seasons of
 * history in the job, else what {@code eval allocation}'s forecaster does ({@link
 * SelectionForecaster}: naive, seasonal naive while too short to select, then the backtest's
 * choice), which says why; also when the registered version fails on the history. Types are the
 * {@link WorkloadKey#encoded()} keys; the registry names them by workflow type.
 */
final class RegisteredForecaster implements ArrivalsForecaster {

    static final String REGISTERED = "registered version ";

    private final SelectionForecaster own;
    private final int minHistory;
    private final int maxHistory;
    private Map<String, RegisteredModels.Registered> models = Map.of();

    RegisteredForecaster(SelectionForecaster own, int season, int maxHistory) {
        this.own = own;
        this.minHistory = 2 * season;
        this.maxHistory = maxHistory;
    }

    void use(Map<String, RegisteredModels.Registered> models) {
        this.models = models;
    }

    /** The registered version the type's forecast came from, or 0 when none did. */
    int version(String type, String model, String why) {
        RegisteredModels.Registered r = models.get(WorkloadKey.decode(type).workflowType());
        return r != null && r.name().equals(model) && why.startsWith(REGISTERED) ? r.version() : 0;
    }

    @Override
    public ArrivalsForecast forecast(String type, double[] history, int horizon) {
        RegisteredModels.Registered r = models.get(WorkloadKey.decode(type).workflowType());
        if (r == null || history.length < minHistory) {
            return own.forecast(type, history, horizon);
        }
        int n = Math.min(history.length, maxHistory);
        Series series =
                Series.of(type, Arrays.copyOfRange(history, history.length - n, history.length));
        Forecast f;
        try {
            f = r.model().forecast(series, n, horizon);
        } catch (RuntimeException failed) {
            // a registered artifact that cannot forecast this history must not stop the job
            ArrivalsForecast own = this.own.forecast(type, history, horizon);
            return new ArrivalsForecast(
                    own.p10(),
                    own.p50(),
                    own.p90(),
                    own.model(),
                    own.why()
                            + " (registered version "
                            + r.version()
                            + " failed: "
                            + failed.getMessage()
                            + ")");
        }
        return new ArrivalsForecast(
                f.p10(), f.p50(), f.p90(), r.name(), REGISTERED + r.version() + " (train)");
    }
}
