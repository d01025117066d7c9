package dev.foreshadow.jobs.cli;

import dev.foreshadow.connectors.history.ArrivalHistory;
import dev.foreshadow.connectors.history.Migrations;
import dev.foreshadow.connectors.history.ModelRegistry;
import dev.foreshadow.connectors.history.PostgresSettings;
import dev.foreshadow.models.forecast.Backtest;
import dev.foreshadow.models.forecast.DeployRule;
import dev.foreshadow.models.forecast.GlobalLstm;
import dev.foreshadow.models.forecast.LstmConfig;
import dev.foreshadow.models.forecast.ModelArtifacts;
import dev.foreshadow.models.forecast.Seasons;
import dev.foreshadow.models.forecast.Series;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code foreshadow train --jdbc URL}: reads the {@code arrivals} history of a running system,
 * finds its seasons from the step, trains the global LSTM across all workflow types, lets the
 * {@link DeployRule} choose per type from the backtest on rolling origins (a candidate, or a
 * weighted combination of those that beat the best simple baseline), and registers that choice of
 * each type and the global model in the {@code models} table.
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        footerHeading = "%nExample:%n",
        footer = {
            "  ./foreshadow train --jdbc 'jdbc:postgresql://127.0.0.1:5432/foreshadow?user=foreshadow'"
        },
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
            paramLabel = "N",
            description =
                    "Override the season in steps (default: a day of steps, confirmed by an autocorrelation test).")
    Integer season;

    @Option(
            names = "--long-season",
            paramLabel = "N",
            description =
                    "Override the long season in steps, a multiple of the season, 0 for none (default: a week, when confirmed).")
    Integer longSeason;

    @Option(
            names = "--horizon",
            defaultValue = "24",
            paramLabel = "H",
            description = "Steps forecast (default: ${DEFAULT-VALUE}).")
    int horizon;

    @Option(
            names = "--folds",
            paramLabel = "K",
            description = "Backtest folds (default: the deploy rule's, " + DeployRule.FOLDS + ").")
    Integer folds;

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
        if (folds == null) {
            folds = DeployRule.FOLDS;
        }
        if ((season != null && season < 1)
                || (longSeason != null && longSeason < 0)
                || horizon < 1
                || folds < 1
                || windowDays < 1) {
            throw new CliException(
                    "--season, --horizon, --folds and --window-days must be positive, and"
                            + " --long-season 0 or more");
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
        List<Series> series = new ArrayList<>();
        try (Connection c = settings.connect()) {
            Migrations.apply(c);
            for (ArrivalHistory.Steps a :
                    ArrivalHistory.read(c, start, end, Duration.ofSeconds(step))) {
                series.add(new Series(a.workflowType(), a.values(), null, a.firstStep()));
            }
        } catch (SQLException e) {
            throw new CliException("cannot read arrivals from " + settings + ": " + e.getMessage());
        }
        // seasons from the step, confirmed on the history the backtest does not use
        int holdout = folds * horizon;
        List<double[]> histories = new ArrayList<>();
        for (Series s : series) {
            if (s.length() > holdout) {
                histories.add(Arrays.copyOf(s.values(), s.length() - holdout));
            }
        }
        if (histories.isEmpty()) {
            throw new CliException(
                    "no workflow type has more than "
                            + holdout
                            + " steps of arrivals between "
                            + start
                            + " and "
                            + end);
        }
        Seasons seasons;
        try {
            seasons = Seasons.of(Duration.ofSeconds(step), season, longSeason, histories);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        int needed = DeployRule.minimumLength(folds, horizon, seasons.season());
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
        out.println(seasons.explanation());
        LstmConfig config = LstmConfig.forSeries(horizon, seasons.season(), seasons.longSeason());
        if (epochs != null) {
            config = config.withEpochs(epochs);
        }
        GlobalLstm lstm = null;
        try (ProgressBar bar = Progress.bar("LSTM epochs", config.epochs())) {
            lstm = GlobalLstm.train(usable, holdout, config, e -> bar.step());
        } catch (IllegalArgumentException e) {
            out.println("no LSTM: " + e.getMessage());
        }
        DeployRule rule = DeployRule.of(seasons, horizon, folds, lstm);
        ModelRegistry registry = new ModelRegistry(settings, clock);
        out.printf(
                "%-24s %-24s %8s %12s %8s%n",
                "workflow type", "deployed", "MASE", "snaive_MASE", "version");
        double[] lstmSums = new double[3];
        for (Series s : usable) {
            DeployRule.Decision decision = rule.decide(s);
            Backtest.Score w = decision.deployedBacktest();
            Backtest.Score naive = decision.backtest().get(rule.seasonalNaive());
            if (lstm != null) {
                Backtest.Score l = decision.backtest().get("lstm");
                lstmSums[0] += l.mase() / usable.size();
                lstmSums[1] += l.smape() / usable.size();
                lstmSums[2] += l.coverage() / usable.size();
            }
            ModelRegistry.Entry entry =
                    registry.register(
                            s.id(),
                            decision.model(),
                            start,
                            end,
                            metrics(w, naive.mase(), seasons.season()),
                            ModelArtifacts.write(decision.deployed()));
            out.printf(
                    Locale.ROOT,
                    "%-24s %-24s %8.3f %12.3f %8d%n",
                    s.id(),
                    decision.model(),
                    w.mase(),
                    naive.mase(),
                    entry.version());
            out.printf("    %s%n", decision.reason());
        }
        if (lstm != null) {
            ModelRegistry.Entry entry =
                    registry.register(
                            ModelRegistry.GLOBAL,
                            "lstm",
                            start,
                            end,
                            metrics(
                                    new Backtest.Score(lstmSums[1], lstmSums[0], lstmSums[2], 0),
                                    Double.NaN,
                                    seasons.season()),
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

    private ModelRegistry.BacktestMetrics metrics(
            Backtest.Score score, double snaiveMase, int season) {
        return new ModelRegistry.BacktestMetrics(
                score.mase(),
                score.smape(),
                score.coverage(),
                snaiveMase,
                folds,
                horizon,
                season,
                stepMinutes);
    }
}
