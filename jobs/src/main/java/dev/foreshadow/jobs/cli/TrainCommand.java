package dev.foreshadow.jobs.cli;

import dev.foreshadow.connectors.history.Migrations;
import dev.foreshadow.connectors.history.ModelRegistry;
import dev.foreshadow.connectors.history.PostgresSettings;
import dev.foreshadow.models.forecast.Backtest;
import dev.foreshadow.models.forecast.ForecastModel;
import dev.foreshadow.models.forecast.GlobalLstm;
import dev.foreshadow.models.forecast.LstmConfig;
import dev.foreshadow.models.forecast.ModelArtifacts;
import dev.foreshadow.models.forecast.ModelSelection;
import dev.foreshadow.models.forecast.Models;
import dev.foreshadow.models.forecast.Series;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code foreshadow train --jdbc URL}: reads the {@code arrivals} history of a running system,
 * trains the global LSTM across all workflow types, backtests every candidate per type on rolling
 * origins, and registers the winner of each type and the global model in the {@code models} table.
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description =
                "Train forecasting models from the arrivals history and register the backtest winners.")
final class TrainCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    /** Where "now" comes from: the training window ends here. Tests replace it. */
    InstantSource clock = InstantSource.system();

    @Option(
            names = "--jdbc",
            required = true,
            paramLabel = "URL",
            description = "jdbc:postgresql://host:port/db")
    String jdbc;

    @Option(
            names = "--db-user",
            paramLabel = "USER",
            description = "Database user (default: the driver's).")
    String user;

    @Option(
            names = "--password-file",
            paramLabel = "FILE",
            description =
                    "File holding the password (else $" + PostgresSettings.PASSWORD_ENV + ").")
    Path passwordFile;

    @Option(
            names = "--step-minutes",
            defaultValue = "60",
            paramLabel = "N",
            description =
                    "Bucket the per-minute arrivals into steps of N minutes (default: ${DEFAULT-VALUE}).")
    int stepMinutes;

    @Option(
            names = "--season",
            defaultValue = "24",
            paramLabel = "N",
            description = "Season in steps (default: ${DEFAULT-VALUE}).")
    int season;

    @Option(
            names = "--horizon",
            defaultValue = "24",
            paramLabel = "H",
            description = "Steps forecast (default: ${DEFAULT-VALUE}).")
    int horizon;

    @Option(
            names = "--folds",
            defaultValue = "3",
            paramLabel = "K",
            description = "Backtest folds (default: ${DEFAULT-VALUE}).")
    int folds;

    @Option(
            names = "--window-days",
            defaultValue = "56",
            paramLabel = "D",
            description = "Days of history to train on, ending now (default: ${DEFAULT-VALUE}).")
    int windowDays;

    @Option(
            names = "--epochs",
            paramLabel = "N",
            description = "LSTM epochs (default: the fixed configuration's).")
    Integer epochs;

    @Option(
            names = "--until",
            paramLabel = "INSTANT",
            description =
                    "End of the training window, ISO-8601 (default: now); to retrain on a past period.")
    String until;

    @Override
    public Integer call() throws SQLException {
        if (!jdbc.startsWith("jdbc:postgresql:")) {
            throw new CliException("--jdbc must start with jdbc:postgresql:, got " + jdbc);
        }
        if (stepMinutes < 1 || stepMinutes > 1440 || 1440 % stepMinutes != 0) {
            throw new CliException(
                    "--step-minutes must divide a day (1..1440), got " + stepMinutes);
        }
        if (season < 1 || horizon < 1 || folds < 1 || windowDays < 1) {
            throw new CliException(
                    "--season, --horizon, --folds and --window-days must be positive");
        }
        if (epochs != null && (epochs < 0 || epochs > 1000)) {
            throw new CliException("--epochs must be between 0 and 1000, got " + epochs);
        }
        PostgresSettings settings;
        try {
            settings = PostgresSettings.of(jdbc, user, passwordFile);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        long step = stepMinutes * 60L;
        Instant endAt = clock.instant();
        if (until != null) {
            try {
                endAt = Instant.parse(until);
            } catch (java.time.format.DateTimeParseException e) {
                throw new CliException(
                        "--until must be an ISO-8601 instant such as 2026-11-28T00:00:00Z, got "
                                + until);
            }
        }
        Instant end = Instant.ofEpochSecond(Math.floorDiv(endAt.getEpochSecond(), step) * step);
        Instant start = end.minus(Duration.ofDays(windowDays));
        PrintWriter out = spec.commandLine().getOut();
        List<Series> series;
        try (Connection c = settings.connect()) {
            Migrations.apply(c);
            series = read(c, start, end, step);
        } catch (SQLException e) {
            throw new CliException("cannot read arrivals from " + settings + ": " + e.getMessage());
        }
        int needed = (folds + 1) * horizon + 2 * season;
        List<Series> usable = new ArrayList<>();
        for (Series s : series) {
            if (s.length() >= needed) {
                usable.add(s);
            } else {
                out.printf(
                        "%s: %d steps of history, needs %d: not trained%n",
                        s.id(), s.length(), needed);
            }
        }
        if (usable.isEmpty()) {
            throw new CliException(
                    "no workflow type has "
                            + needed
                            + " steps of arrivals between "
                            + start
                            + " and "
                            + end);
        }
        int longSeason = season == 24 && stepMinutes == 60 ? 168 : 0;
        LstmConfig config = LstmConfig.forSeries(horizon, season, longSeason);
        if (epochs != null) {
            config = config.withEpochs(epochs);
        }
        GlobalLstm lstm = null;
        try (ProgressBar bar = progress("LSTM epochs", config.epochs())) {
            lstm = GlobalLstm.train(usable, folds * horizon, config, e -> bar.step());
        } catch (IllegalArgumentException e) {
            out.println("no LSTM: " + e.getMessage());
        }
        ModelSelection selection =
                new ModelSelection(Models.localCandidates(season, longSeason), lstm);
        ModelRegistry registry = new ModelRegistry(settings, clock);
        out.printf(
                "%-24s %-24s %8s %12s %8s%n",
                "workflow type", "winner", "MASE", "snaive_MASE", "version");
        double[] lstmSums = new double[3];
        for (Series s : usable) {
            Map<String, Backtest.Score> scores =
                    selection.backtest(
                            s, Backtest.origins(s.length(), folds, horizon, 0), horizon, season);
            String winner = ModelSelection.choose(scores);
            Backtest.Score w = scores.get(winner);
            Backtest.Score naive = scores.get("snaive" + season);
            if (lstm != null) {
                Backtest.Score l = scores.get("lstm");
                lstmSums[0] += l.mase() / usable.size();
                lstmSums[1] += l.smape() / usable.size();
                lstmSums[2] += l.coverage() / usable.size();
            }
            ForecastModel model = selection.model(winner);
            ModelRegistry.Entry entry =
                    registry.register(
                            s.id(),
                            winner,
                            start,
                            end,
                            metrics(w.mase(), w.smape(), w.coverage(), naive.mase()),
                            ModelArtifacts.write(model));
            out.printf(
                    Locale.ROOT,
                    "%-24s %-24s %8.3f %12.3f %8d%n",
                    s.id(),
                    winner,
                    w.mase(),
                    naive.mase(),
                    entry.version());
        }
        if (lstm != null) {
            ModelRegistry.Entry entry =
                    registry.register(
                            ModelRegistry.GLOBAL,
                            "lstm",
                            start,
                            end,
                            metrics(lstmSums[0], lstmSums[1], lstmSums[2], Double.NaN),
                            ModelArtifacts.write(lstm));
            out.printf(
                    Locale.ROOT,
                    "%-24s %-24s %8.3f %12s %8d%n",
                    "* (global)",
                    "lstm",
                    lstmSums[0],
                    "",
                    entry.version());
        }
        out.printf(
                "registered %d models trained on %s .. %s in %s%n",
                usable.size() + (lstm != null ? 1 : 0), start, end, settings);
        out.flush();
        return 0;
    }

    private String metrics(double mase, double smape, double coverage, double snaiveMase) {
        return String.format(
                Locale.ROOT,
                "{\"mase\": %.6f, \"smape\": %.6f, \"coverage80\": %.6f, %s\"folds\": %d, \"horizon\": %d, \"season\": %d,"
                        + " \"step_minutes\": %d}",
                mase,
                smape,
                coverage,
                Double.isNaN(snaiveMase)
                        ? ""
                        : String.format(Locale.ROOT, "\"snaive_mase\": %.6f, ", snaiveMase),
                folds,
                horizon,
                season,
                stepMinutes);
    }

    /**
     * Arrivals per workflow type (all tenants) in steps of {@code step} seconds; missing steps are
     * 0 runs.
     */
    private static List<Series> read(Connection c, Instant start, Instant end, long step)
            throws SQLException {
        Map<String, TreeMap<Long, Double>> byType = new LinkedHashMap<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT workflow_type, floor(extract(epoch FROM bucket) / ?)::bigint AS step, sum(runs)"
                                + " FROM arrivals WHERE bucket >= ? AND bucket < ? GROUP BY 1, 2 ORDER BY 1, 2")) {
            ps.setLong(1, step);
            ps.setTimestamp(2, Timestamp.from(start));
            ps.setTimestamp(3, Timestamp.from(end));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byType.computeIfAbsent(rs.getString(1), k -> new TreeMap<>())
                            .put(rs.getLong(2), rs.getDouble(3));
                }
            }
        }
        long first = start.getEpochSecond() / step;
        long last = end.getEpochSecond() / step; // exclusive
        List<Series> out = new ArrayList<>();
        for (Map.Entry<String, TreeMap<Long, Double>> e : byType.entrySet()) {
            long from = e.getValue().firstKey();
            double[] values = new double[(int) (last - from)];
            e.getValue().forEach((k, v) -> values[(int) (k - from)] = v);
            out.add(new Series(e.getKey(), values, null, Math.max(from, first)));
        }
        return out;
    }

    private static ProgressBar progress(String task, long max) {
        return new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(max)
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .setUpdateIntervalMillis(500)
                .build();
    }
}
