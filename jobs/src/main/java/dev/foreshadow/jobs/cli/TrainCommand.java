package dev.foreshadow.jobs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.foreshadow.connectors.history.ArrivalHistory;
import dev.foreshadow.connectors.history.Migrations;
import dev.foreshadow.connectors.history.ModelRegistry;
import dev.foreshadow.connectors.history.PostgresSettings;
import dev.foreshadow.connectors.json.Json;
import dev.foreshadow.models.forecast.Backtest;
import dev.foreshadow.models.forecast.Challenger;
import dev.foreshadow.models.forecast.DeployRule;
import dev.foreshadow.models.forecast.ForecastModel;
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
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code foreshadow train --jdbc URL}: reads the {@code arrivals} history of a running system,
 * finds its seasons from the step, trains the global LSTM across all workflow types, lets the
 * {@link DeployRule} choose per type from the backtest on rolling origins (a candidate, or a
 * weighted combination of those that beat the best simple baseline), and registers that choice of a
 * type in the {@code models} table only when it beats the type's registered version on the same
 * backtest folds of the new window ({@link Challenger}; the first version always); the global model
 * is registered when a new version forecasts with it, and that version names it. With {@code
 * --every} it trains again periodically until SIGINT or SIGTERM, a failed round reported in one
 * line.
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        footerHeading = "%nExample:%n",
        footer = {
            "  ./foreshadow train --jdbc 'jdbc:postgresql://127.0.0.1:5432/foreshadow?user=foreshadow'",
            "  ./foreshadow train --jdbc 'jdbc:postgresql://127.0.0.1:5432/foreshadow?user=foreshadow'"
                    + " --step-minutes 5 --every 6h"
        },
        description =
                "Train forecasting models from the arrivals history and register each type's backtest"
                        + " winner when it beats the registered version; periodically with --every.")
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

    @Option(
            names = "--every",
            paramLabel = "DURATION",
            description =
                    "Train again every DURATION (such as 6h, 30m, 1d), beside the running job, until"
                            + " SIGINT or SIGTERM; a failed round is reported in one line and the next one"
                            + " runs on time (default: one round).")
    String every;

    /** Counted down to end the periodic rounds: by SIGINT/SIGTERM, or by a test. */
    private final CountDownLatch stop = new CountDownLatch(1);

    /** Ends {@code --every} after the round in progress (what SIGINT and SIGTERM do). */
    void stop() {
        stop.countDown();
    }

    @Override
    public Integer call() throws SQLException, InterruptedException {
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
        Duration period = every == null ? null : period(every);
        Instant fixedEnd = null;
        if (until != null) {
            try {
                fixedEnd = Instant.parse(until);
            } catch (java.time.format.DateTimeParseException e) {
                throw new CliException(
                        "--until must be an ISO-8601 instant such as 2026-11-28T00:00:00Z, got "
                                + until);
            }
        }
        PostgresSettings settings;
        try {
            settings = PostgresSettings.of(jdbc, user, passwordFile);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (period == null) {
            round(settings, fixedEnd != null ? fixedEnd : clock.instant(), out);
            return 0;
        }
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook =
                new Thread(
                        () -> {
                            stop();
                            try {
                                // let the round in progress finish registering, as long as a
                                // container's grace period allows
                                finished.await(25, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "train-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            for (int n = 1; ; n++) {
                Instant started = clock.instant();
                out.printf("round %d at %s (every %s)%n", n, started, every);
                out.flush();
                try {
                    round(settings, fixedEnd != null ? fixedEnd : started, out);
                } catch (SQLException | RuntimeException failed) {
                    // a database down or a history too short: the job goes on with the
                    // registered versions, and the next round tries again
                    out.printf(
                            "round %d failed: %s; next round at %s%n",
                            n, failed.getMessage(), started.plus(period));
                }
                out.flush();
                Duration left = Duration.between(clock.instant(), started.plus(period));
                if (stop.await(Math.max(0, left.toMillis()), TimeUnit.MILLISECONDS)) {
                    out.printf("stopped after %d round%s%n", n, n == 1 ? "" : "s");
                    out.flush();
                    return 0;
                }
            }
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is what stopped us
            }
        }
    }

    /** {@code 6h}, {@code 30m}, {@code 45s}, {@code 1d} or an ISO-8601 duration, at least 1 s. */
    static Duration period(String text) {
        Duration d = null;
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("(\\d{1,9})([smhd])").matcher(text.strip());
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            d =
                    switch (m.group(2)) {
                        case "s" -> Duration.ofSeconds(n);
                        case "m" -> Duration.ofMinutes(n);
                        case "h" -> Duration.ofHours(n);
                        default -> Duration.ofDays(n);
                    };
        } else {
            try {
                d = Duration.parse(text.strip());
            } catch (java.time.format.DateTimeParseException notIso) {
                // reported below
            }
        }
        if (d == null || d.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new CliException(
                    "--every must be a duration of at least 1s such as 6h, 30m or PT6H, got "
                            + text);
        }
        return d;
    }

    /** One round: read the window ending at {@code endAt}, train, decide, register what won. */
    private void round(PostgresSettings settings, Instant endAt, PrintWriter out)
            throws SQLException {
        long step = stepMinutes * 60L;
        Instant end = Instant.ofEpochSecond(Math.floorDiv(endAt.getEpochSecond(), step) * step);
        Instant start = end.minus(Duration.ofDays(windowDays));
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
        Champions champions = new Champions(registry);
        // each type's choice against its registered version on the same folds of this window
        List<Choice> choices = new ArrayList<>();
        boolean globalNeeded = false;
        double[] lstmSums = new double[3];
        for (Series s : usable) {
            DeployRule.Decision decision = rule.decide(s);
            if (lstm != null) {
                Backtest.Score l = decision.backtest().get("lstm");
                lstmSums[0] += l.mase() / usable.size();
                lstmSums[1] += l.smape() / usable.size();
                lstmSums[2] += l.coverage() / usable.size();
            }
            byte[] artifact = ModelArtifacts.write(decision.deployed());
            ModelRegistry.Entry current = registry.latest(s.id()).orElse(null);
            ForecastModel champion = champions.of(current);
            Challenger.Verdict verdict =
                    current != null && champion == null
                            ? new Challenger.Verdict(
                                    true,
                                    Challenger.score(rule, decision.deployed(), s),
                                    null,
                                    "v"
                                            + current.version()
                                            + " forecasts other steps or another horizon")
                            : Challenger.judge(rule, decision.deployed(), champion, s);
            choices.add(new Choice(s, decision, artifact, current, verdict));
            globalNeeded |= verdict.replace() && ModelArtifacts.needsGlobal(artifact);
        }
        int globalVersion = 0;
        if (lstm != null && globalNeeded) {
            // the global model first: the types' versions that forecast with it name it
            globalVersion =
                    registry.register(
                                    ModelRegistry.GLOBAL,
                                    "lstm",
                                    start,
                                    end,
                                    metrics(
                                            new Backtest.Score(
                                                    lstmSums[1], lstmSums[0], lstmSums[2], 0),
                                            Double.NaN,
                                            seasons.season()),
                                    ModelArtifacts.write(lstm))
                            .version();
        }
        out.printf(
                "%-24s %-24s %8s %12s %8s%n",
                "workflow type", "deployed", "MASE", "snaive_MASE", "version");
        int registered = 0;
        for (Choice c : choices) {
            Backtest.Score w = c.decision().deployedBacktest();
            Backtest.Score naive = c.decision().backtest().get(rule.seasonalNaive());
            int version;
            String verdict;
            if (c.verdict().replace()) {
                ModelRegistry.Entry entry =
                        registry.register(
                                c.series().id(),
                                c.decision().model(),
                                start,
                                end,
                                metrics(w, naive.mase(), seasons.season())
                                        .toJson(
                                                ModelArtifacts.needsGlobal(c.artifact())
                                                        ? globalVersion
                                                        : 0),
                                c.artifact());
                version = entry.version();
                verdict = "registered v" + version + " (" + c.verdict().why() + ")";
                registered++;
            } else {
                version = c.current().version();
                verdict = "kept v" + version + " (" + c.verdict().why() + ")";
            }
            out.printf(
                    Locale.ROOT,
                    "%-24s %-24s %8.3f %12.3f %8d%n",
                    c.series().id(),
                    c.decision().model(),
                    w.mase(),
                    naive.mase(),
                    version);
            out.printf("    %s%n", c.decision().reason());
            out.printf("    %s%n", verdict);
        }
        if (globalVersion > 0) {
            out.printf(
                    Locale.ROOT,
                    "%-24s %-24s %8.3f %12s %8d%n",
                    "* (global)",
                    "lstm",
                    lstmSums[0],
                    "",
                    globalVersion);
        } else if (lstm != null) {
            out.printf(
                    Locale.ROOT,
                    "%-24s %-24s %8.3f %12s %8s%n",
                    "* (global)",
                    "lstm",
                    lstmSums[0],
                    "",
                    "-");
            out.println("    not registered: no newly registered version forecasts with it");
        }
        out.printf(
                "registered %d models trained on %s .. %s in %s%n",
                registered + (globalVersion > 0 ? 1 : 0), start, end, settings);
        out.flush();
    }

    /** A type's new choice, its registered version (or null) and the verdict between them. */
    private record Choice(
            Series series,
            DeployRule.Decision decision,
            byte[] artifact,
            ModelRegistry.Entry current,
            Challenger.Verdict verdict) {}

    /** Whether a registered version forecasts this round's steps and horizon. */
    private boolean comparable(ModelRegistry.Entry e) {
        try {
            JsonNode m = Json.MAPPER.readTree(e.metricsJson());
            return m.path("step_minutes").asInt(0) == stepMinutes
                    && m.path("horizon").asInt(0) == horizon;
        } catch (java.io.IOException unreadable) {
            return false;
        }
    }

    /**
     * The registered versions as the job forecasts with them: a type's artifact with the global
     * model it names (else the newest one); null for none, or one that forecasts other steps.
     */
    private final class Champions {
        private final ModelRegistry registry;
        private final Map<Integer, GlobalLstm> globals = new HashMap<>();

        Champions(ModelRegistry registry) {
            this.registry = registry;
        }

        ForecastModel of(ModelRegistry.Entry current) throws SQLException {
            if (current == null || !comparable(current)) {
                return null;
            }
            GlobalLstm global = null;
            if (ModelArtifacts.needsGlobal(current.artifact())) {
                int v = ModelRegistry.globalVersion(current);
                if (v == 0) {
                    v = registry.latest(ModelRegistry.GLOBAL).map(e -> e.version()).orElse(0);
                }
                global = globals.get(v);
                if (global == null && v > 0) {
                    var entry = registry.load(ModelRegistry.GLOBAL, v);
                    if (entry.isPresent()) {
                        global = GlobalLstm.fromBytes(entry.get().artifact());
                        globals.put(v, global);
                    }
                }
            }
            try {
                return ModelArtifacts.read(current.artifact(), global);
            } catch (IllegalArgumentException unreadable) {
                return null;
            }
        }
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
