package dev.foreshadow.jobs.shadow.forecast;

import com.fasterxml.jackson.databind.JsonNode;
import dev.foreshadow.connectors.history.ModelRegistry;
import dev.foreshadow.connectors.history.PostgresSettings;
import dev.foreshadow.connectors.json.Json;
import dev.foreshadow.models.forecast.ForecastModel;
import dev.foreshadow.models.forecast.GlobalLstm;
import dev.foreshadow.models.forecast.ModelArtifacts;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The newest registered model of each workflow type (table {@code models}, written by {@code
 * train}), read again at most once per poll interval of processing time, so a new version is used
 * without restarting the job. Only versions trained on steps of the job's bucket are taken; an
 * artifact is read once per registry id. Without a database ({@code null} settings) there are no
 * registered models. A type's version that names the global model version it was chosen with
 * forecasts with that one.
 */
final class RegisteredModels {

    private static final Logger LOG = LoggerFactory.getLogger(RegisteredModels.class);

    /** One registered version, ready to forecast. */
    record Registered(String name, int version, ForecastModel model) {}

    private final ModelRegistry registry;
    private final long pollMs;
    private final int stepMinutes;
    private final InstantSource clock;
    private long nextPollMs = Long.MIN_VALUE;

    /** By registry id: artifacts already read. */
    private final Map<Long, Registered> read = new HashMap<>();

    /** By version: global models that types' versions name. */
    private final Map<Integer, GlobalLstm> globals = new HashMap<>();

    /** By workflow type (as train names it): the version in use. */
    private Map<String, Registered> current = Map.of();

    RegisteredModels(PostgresSettings database, long pollMs, int stepMinutes, InstantSource clock) {
        this.registry = database == null ? null : new ModelRegistry(database, clock);
        this.pollMs = pollMs;
        this.stepMinutes = stepMinutes;
        this.clock = clock;
    }

    /** The versions in use, polling the registry first when the interval has passed. */
    Map<String, Registered> current() {
        long now = clock.millis();
        if (registry == null || now < nextPollMs) {
            return current;
        }
        nextPollMs = now + pollMs;
        try {
            List<ModelRegistry.Entry> entries = registry.latestOfEachType();
            GlobalLstm global = null;
            for (ModelRegistry.Entry e : entries) {
                if (e.workflowType().equals(ModelRegistry.GLOBAL) && fits(e)) {
                    global = (GlobalLstm) load(e, null).model();
                }
            }
            Map<String, Registered> next = new HashMap<>();
            for (ModelRegistry.Entry e : entries) {
                if (!e.workflowType().equals(ModelRegistry.GLOBAL) && fits(e)) {
                    try {
                        next.put(e.workflowType(), load(e, pinned(e, global)));
                    } catch (IllegalArgumentException bad) {
                        LOG.warn(
                                "model {} v{} of {} not used: {}",
                                e.modelType(),
                                e.version(),
                                e.workflowType(),
                                bad.getMessage());
                    }
                }
            }
            current = Map.copyOf(next);
        } catch (Exception failed) {
            LOG.warn(
                    "model registry not read ({}); forecasting with the versions read before",
                    failed.getMessage());
        }
        return current;
    }

    private Registered load(ModelRegistry.Entry e, GlobalLstm global) {
        Registered r = read.get(e.id());
        if (r == null) {
            r =
                    new Registered(
                            e.modelType(), e.version(), ModelArtifacts.read(e.artifact(), global));
            read.put(e.id(), r);
        }
        return r;
    }

    /**
     * The global model the type's version was registered with ({@code train} names it), else the
     * newest one.
     */
    private GlobalLstm pinned(ModelRegistry.Entry e, GlobalLstm newest) throws Exception {
        int version = ModelRegistry.globalVersion(e);
        if (version == 0) {
            return newest;
        }
        GlobalLstm pinned = globals.get(version);
        if (pinned == null) {
            var global = registry.load(ModelRegistry.GLOBAL, version);
            if (global.isEmpty()) {
                return newest;
            }
            pinned = (GlobalLstm) load(global.get(), null).model();
            globals.put(version, pinned);
        }
        return pinned;
    }

    /** Whether the version was trained on steps of the job's bucket. */
    private boolean fits(ModelRegistry.Entry e) {
        try {
            JsonNode metrics = Json.MAPPER.readTree(e.metricsJson());
            return metrics.path("step_minutes").asInt(0) == stepMinutes;
        } catch (Exception unreadable) {
            return false;
        }
    }
}
