package dev.foreshadow.connectors.history;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The model registry (table {@code models}, sql/V008): stores and loads versioned forecasting
 * artifacts. The bytes are opaque here (the models module writes and reads them); the metadata says
 * what they are: workflow type ({@link #GLOBAL} for the model shared by all types), model type,
 * version, training window, backtest metrics as JSON, and the creation time, taken from the
 * injected clock.
 */
public final class ModelRegistry {

    /** The workflow type under which the global model (shared by every type) is registered. */
    public static final String GLOBAL = "*";

    /** One registered version. */
    public record Entry(
            long id,
            String workflowType,
            String modelType,
            int version,
            Instant trainingFrom,
            Instant trainingTo,
            String metricsJson,
            byte[] artifact,
            Instant createdAt) {}

    /**
     * The backtest behind a registered model, stored as the {@code metrics} JSON: mean MASE, sMAPE
     * and P10-P90 coverage over {@code folds} folds of {@code horizon} steps of {@code stepMinutes}
     * minutes, and the seasonal naive MASE on the same folds (NaN when it does not apply, e.g. for
     * the global model).
     */
    public record BacktestMetrics(
            double mase,
            double smape,
            double coverage80,
            double snaiveMase,
            int folds,
            int horizon,
            int season,
            int stepMinutes) {

        public String toJson() {
            return toJson(0);
        }

        /**
         * The JSON, naming the version of the global model that a type's combination forecasts with
         * ({@code global_version}) when {@code globalVersion > 0}.
         */
        public String toJson(int globalVersion) {
            return String.format(
                    Locale.ROOT,
                    "{\"mase\": %.6f, \"smape\": %.6f, \"coverage80\": %.6f, %s\"folds\": %d, \"horizon\": %d, \"season\": %d,"
                            + " \"step_minutes\": %d%s}",
                    mase,
                    smape,
                    coverage80,
                    Double.isNaN(snaiveMase)
                            ? ""
                            : String.format(Locale.ROOT, "\"snaive_mase\": %.6f, ", snaiveMase),
                    folds,
                    horizon,
                    season,
                    stepMinutes,
                    globalVersion > 0 ? ", \"" + GLOBAL_VERSION + "\": " + globalVersion : "");
        }
    }

    /** The metrics key naming the global model version a type's version forecasts with. */
    static final String GLOBAL_VERSION = "global_version";

    /**
     * The version of the global model that the entry forecasts with, from its metrics ({@code
     * global_version}); 0 when it names none (the newest global model is meant then).
     */
    public static int globalVersion(Entry e) {
        Matcher m =
                Pattern.compile("\"" + GLOBAL_VERSION + "\"\\s*:\\s*(\\d+)")
                        .matcher(e.metricsJson() == null ? "" : e.metricsJson());
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private final PostgresSettings settings;
    private final InstantSource clock;

    public ModelRegistry(PostgresSettings settings, InstantSource clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Registers a new version with its backtest metrics; see {@link #register(String, String,
     * Instant, Instant, String, byte[])}.
     */
    public Entry register(
            String workflowType,
            String modelType,
            Instant trainingFrom,
            Instant trainingTo,
            BacktestMetrics metrics,
            byte[] artifact)
            throws SQLException {
        return register(
                workflowType, modelType, trainingFrom, trainingTo, metrics.toJson(), artifact);
    }

    /** Registers a new version (the previous version + 1, or 1) and returns it. */
    public Entry register(
            String workflowType,
            String modelType,
            Instant trainingFrom,
            Instant trainingTo,
            String metricsJson,
            byte[] artifact)
            throws SQLException {
        if (workflowType == null
                || workflowType.isBlank()
                || modelType == null
                || modelType.isBlank()) {
            throw new IllegalArgumentException("workflow type and model type must be given");
        }
        if (trainingTo.isBefore(trainingFrom)) {
            throw new IllegalArgumentException("training window ends before it starts");
        }
        Instant now = clock.instant();
        try (Connection c = settings.connect();
                PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO models (workflow_type, model_type, version, training_from, training_to, metrics,"
                                        + " artifact, created_at) SELECT ?, ?, coalesce(max(version), 0) + 1, ?, ?, ?::jsonb, ?, ?"
                                        + " FROM models WHERE workflow_type = ? RETURNING id, version")) {
            ps.setString(1, workflowType);
            ps.setString(2, modelType);
            ps.setTimestamp(3, Timestamp.from(trainingFrom));
            ps.setTimestamp(4, Timestamp.from(trainingTo));
            ps.setString(5, metricsJson);
            ps.setBytes(6, artifact);
            ps.setTimestamp(7, Timestamp.from(now));
            ps.setString(8, workflowType);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Entry(
                        rs.getLong(1),
                        workflowType,
                        modelType,
                        rs.getInt(2),
                        trainingFrom,
                        trainingTo,
                        metricsJson,
                        artifact.clone(),
                        now);
            }
        }
    }

    /** The newest version registered for the workflow type. */
    public Optional<Entry> latest(String workflowType) throws SQLException {
        List<Entry> found =
                query("WHERE workflow_type = ? ORDER BY version DESC LIMIT 1", workflowType, null);
        return found.stream().findFirst();
    }

    /** A given version. */
    public Optional<Entry> load(String workflowType, int version) throws SQLException {
        return query("WHERE workflow_type = ? AND version = ?", workflowType, version).stream()
                .findFirst();
    }

    /** The newest version of every workflow type (including {@link #GLOBAL}), by workflow type. */
    public List<Entry> latestOfEachType() throws SQLException {
        return query(
                "WHERE (workflow_type, version) IN (SELECT workflow_type, max(version) FROM models GROUP BY 1)"
                        + " ORDER BY workflow_type",
                null,
                null);
    }

    private List<Entry> query(String where, String workflowType, Integer version)
            throws SQLException {
        try (Connection c = settings.connect();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT id, workflow_type, model_type, version, training_from, training_to, metrics::text,"
                                        + " artifact, created_at FROM models "
                                        + where)) {
            int i = 1;
            if (workflowType != null) {
                ps.setString(i++, workflowType);
            }
            if (version != null) {
                ps.setInt(i, version);
            }
            List<Entry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(
                            new Entry(
                                    rs.getLong(1),
                                    rs.getString(2),
                                    rs.getString(3),
                                    rs.getInt(4),
                                    rs.getTimestamp(5).toInstant(),
                                    rs.getTimestamp(6).toInstant(),
                                    rs.getString(7),
                                    rs.getBytes(8),
                                    rs.getTimestamp(9).toInstant()));
                }
            }
            return out;
        }
    }
}
