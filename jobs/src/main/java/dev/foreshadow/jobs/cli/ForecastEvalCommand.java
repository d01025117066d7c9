package dev.foreshadow.jobs.cli;

import dev.foreshadow.models.forecast.Backtest;
import dev.foreshadow.models.forecast.DeployRule;
import dev.foreshadow.models.forecast.Evaluation;
import dev.foreshadow.models.forecast.ForecastModel;
import dev.foreshadow.models.forecast.GlobalLstm;
import dev.foreshadow.models.forecast.LstmConfig;
import dev.foreshadow.models.forecast.Models;
import dev.foreshadow.models.forecast.Seasons;
import dev.foreshadow.models.forecast.Series;
import dev.foreshadow.models.metrics.Accuracy;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code foreshadow eval forecast}: trains every forecasting candidate, lets the {@link DeployRule}
 * choose what to deploy per series from the rolling-origin backtest before each scored period, and
 * scores candidates and deployed forecasts on data none of them saw. Two modes: {@code --m4 DIR}
 * (the 414 M4 Hourly series, scored on the official test set, horizon 48) and {@code --series CSV}
 * (any long CSV, scored on its last folds). {@code --development} scores the part before instead
 * (M4: the last 48 values of each training series; a CSV: the folds before the last ones), where
 * designs are compared.
 */
@Command(
        name = "forecast",
        mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {
            "  ./foreshadow eval forecast --m4 ../shared/data/m4 --quick",
            "  ./foreshadow eval forecast --series arrivals.csv --season 24 --horizon 48"
        },
        description = "Evaluate the forecasting models on M4 Hourly or on any series CSV.")
final class ForecastEvalCommand implements Callable<Integer> {

    static final int M4_HORIZON = 48;
    static final Duration M4_STEP = Duration.ofHours(1);

    @Spec CommandSpec spec;

    @Option(
            names = "--m4",
            arity = "0..1",
            fallbackValue = "",
            paramLabel = "DIR",
            description =
                    "The M4 folder (holding Dataset/Train/Hourly-train.csv); default: the shared data.")
    String m4;

    @Option(
            names = "--quick",
            description = "With --m4: every 10th series and 3 LSTM epochs (a CI-sized run).")
    boolean quick;

    @Option(
            names = "--series",
            paramLabel = "CSV",
            description = "series_id,timestamp,value[,covariate...]")
    Path series;

    @Option(
            names = "--development",
            description =
                    "Score the development part: M4's last 48 training values, or the folds before"
                            + " the last ones of a CSV (the reported figures leave it out).")
    boolean development;

    @Option(
            names = "--season",
            paramLabel = "N",
            description =
                    "Override the season in steps (default: a day of the timestamps' step, confirmed by an autocorrelation test).")
    Integer season;

    @Option(
            names = "--long-season",
            paramLabel = "N",
            description =
                    "Override the long season in steps, a multiple of the season, 0 for none (default: a week, when confirmed).")
    Integer longSeason;

    @Option(
            names = "--horizon",
            paramLabel = "H",
            description = "Steps forecast from each origin (with --series).")
    Integer horizon;

    @Option(
            names = "--folds",
            paramLabel = "K",
            description = "Rolling-origin folds scored (with --series; default 4).")
    Integer folds;

    @Option(
            names = "--no-covariates",
            description = "Ignore the covariate columns (to measure what they add).")
    boolean noCovariates;

    @Option(
            names = "--event-covariate",
            paramLabel = "NAME",
            description =
                    "Also report MASE on the forecast steps where this covariate is non-zero (e.g. holiday).")
    String eventCovariate;

    @Option(
            names = "--epochs",
            paramLabel = "N",
            description = "LSTM epochs (default: the fixed configuration's).")
    Integer epochs;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            defaultValue = "target/eval",
            description = "Where charts go (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() {
        if ((m4 == null) == (series == null)) {
            throw new CliException("give exactly one of --m4 DIR or --series CSV");
        }
        if (epochs != null && (epochs < 0 || epochs > 1000)) {
            throw new CliException("--epochs must be between 0 and 1000, got " + epochs);
        }
        if ((season != null && season < 1) || (longSeason != null && longSeason < 0)) {
            throw new CliException("--season must be positive and --long-season 0 or more");
        }
        return m4 != null ? m4() : series();
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private int m4() {
        if (season != null
                || horizon != null
                || folds != null
                || eventCovariate != null
                || longSeason != null) {
            throw new CliException(
                    "--season, --long-season, --horizon, --folds and --event-covariate go with --series, not --m4");
        }
        long started = System.nanoTime();
        SeriesFiles.M4 data =
                SeriesFiles.readM4Hourly(
                        DataDir.resolve(m4.isEmpty() ? null : Path.of(m4), "m4"),
                        M4_HORIZON,
                        quick);
        // development: each training series alone, scored on its last 48 values
        List<Series> full = new ArrayList<>();
        int n = data.series().size();
        int[][] scored = new int[n][];
        int[] earliest = new int[n];
        int holdout = (1 + DeployRule.FOLDS) * M4_HORIZON;
        List<double[]> histories = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Series s = data.series().get(i);
            if (development) {
                s = Series.of(s.id(), Arrays.copyOf(s.values(), data.origins()[i]));
            }
            full.add(s);
            scored[i] = new int[] {s.length() - M4_HORIZON};
            earliest[i] = s.length() - holdout;
            histories.add(Arrays.copyOf(s.values(), earliest[i]));
        }
        Seasons seasons = seasons(M4_STEP, histories);
        LstmConfig config = LstmConfig.defaults(M4_HORIZON, seasons.season());
        if (quick) {
            config = config.withEpochs(3);
        }
        if (epochs != null) {
            config = config.withEpochs(epochs);
        }
        // the LSTM learns from the training part only and never from the backtest folds
        DeployRule rule = DeployRule.of(seasons, M4_HORIZON, null);
        ForecastModel naive2 = Models.naive2(seasons.season());
        Training training = new Training(full, holdout, config);
        Evaluation eval = evaluate(rule, training, full, scored, earliest, List.of(naive2));
        Backtest.Score reference = Backtest.mean(eval.scores(naive2.name()));
        PrintWriter w = out();
        w.printf(
                "M4 Hourly, %d series, horizon %d, %s; %s; deployed as chosen on %d rolling folds"
                        + " before it%n",
                n,
                M4_HORIZON,
                development ? "development (last 48 training values)" : "test set",
                seasons.explanation(),
                rule.folds());
        w.printf("%-24s %8s %8s %8s %11s%n", "model", "sMAPE", "MASE", "OWA", "coverage80");
        w.printf(
                "%-24s %8.3f %8.3f %8.3f %11s%n",
                naive2.name(), reference.smape(), reference.mase(), 1.0, "");
        double owa = 0;
        Backtest.Score deployed = null;
        for (String name : rows(eval)) {
            Backtest.Score m = Backtest.mean(eval.scores(name));
            owa = Accuracy.owa(m.smape(), m.mase(), reference.smape(), reference.mase());
            w.printf(
                    "%-24s %8.3f %8.3f %8.3f %11.3f%n",
                    name, m.smape(), m.mase(), owa, m.coverage());
            deployed = m;
        }
        w.printf("deployed per series: %s%n", eval.wins());
        String baseline = bestBaseline(eval, rule);
        w.printf(
                "best simple baseline %s MASE=%.3f; deployed/baseline ratio=%.3f%n",
                baseline,
                Backtest.mean(eval.scores(baseline)).mase(),
                deployed.mase() / Backtest.mean(eval.scores(baseline)).mase());
        for (int i = 0; i < Math.min(6, n); i++) {
            int k = i * Math.max(1, n / 6);
            Series s = full.get(k);
            ForecastChart.write(
                    out.resolve("m4-" + s.id() + ".png"),
                    "M4 " + s.id() + ": " + eval.chosen(k, 0),
                    s,
                    scored[k][0],
                    eval.forecast(k, 0, Evaluation.DEPLOYED),
                    3 * M4_HORIZON);
        }
        w.printf("charts: %s%n", out.resolve("m4-*.png"));
        printTime(w, eval, training, started);
        w.printf(
                "M4-Hourly sMAPE=%.3f MASE=%.3f OWA=%.3f%n",
                deployed.smape(), deployed.mase(), owa);
        w.flush();
        return 0;
    }

    private int series() {
        if (quick) {
            throw new CliException("--quick goes with --m4");
        }
        if (horizon == null) {
            throw new CliException("--series needs --horizon H");
        }
        if (horizon < 1) {
            throw new CliException("--horizon must be positive");
        }
        int k = folds == null ? 4 : folds;
        if (k < 1 || k > 1000) {
            throw new CliException("--folds must be between 1 and 1000, got " + k);
        }
        if (!Files.isRegularFile(series)) {
            throw new CliException(series + " is not a file");
        }
        SeriesFiles.Table table = SeriesFiles.readLong(series, true);
        int event = -1;
        if (eventCovariate != null) {
            event = table.covariates().indexOf(eventCovariate);
            if (event < 0) {
                throw new CliException(
                        "no covariate column "
                                + eventCovariate
                                + " in "
                                + series
                                + " (has "
                                + table.covariates()
                                + ")");
            }
        }
        long started = System.nanoTime();
        // the models see the covariates unless told not to; the event report always reads them
        List<Series> withCovariates = new ArrayList<>();
        for (Series s : table.series()) {
            withCovariates.add(
                    development
                            ? new Series(
                                    s.id(),
                                    Arrays.copyOf(
                                            s.values(), Math.max(0, s.length() - k * horizon)),
                                    s.covariates(),
                                    s.firstStep())
                            : s);
        }
        List<Series> all =
                noCovariates
                        ? withCovariates.stream().map(Series::withoutCovariates).toList()
                        : withCovariates;
        // K scored folds, each deployed as chosen on the folds before it; the LSTM learns from
        // everything before the first of those
        int selection = DeployRule.FOLDS;
        int holdout = (k + selection) * horizon;
        int[][] scored = new int[all.size()][];
        int[] earliest = new int[all.size()];
        List<double[]> histories = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            Series s = all.get(i);
            if (s.length() - holdout < 2 * Math.max(horizon, season == null ? 1 : season)) {
                throw new CliException(
                        s.id()
                                + ": "
                                + s.length()
                                + " values are too few for "
                                + k
                                + " folds of "
                                + horizon
                                + " and the "
                                + selection
                                + " backtest folds before them");
            }
            int[] origins = Backtest.origins(s.length(), k + selection, horizon, 0);
            earliest[i] = origins[0];
            scored[i] = Arrays.copyOfRange(origins, selection, k + selection);
            histories.add(Arrays.copyOf(s.values(), earliest[i]));
        }
        Seasons seasons = seasons(table.step(), histories);
        LstmConfig config = LstmConfig.forSeries(horizon, seasons.season(), seasons.longSeason());
        if (epochs != null) {
            config = config.withEpochs(epochs);
        }
        DeployRule rule = DeployRule.of(seasons, horizon, null);
        Training training = new Training(all, holdout, config);
        Evaluation eval = evaluate(rule, training, all, scored, earliest, List.of());
        PrintWriter w = out();
        if (training.failure != null) {
            w.println("no LSTM: " + training.failure);
        }
        w.printf(
                "%s: %d series, %d folds of horizon %d%s; steps of %s: %s; covariates %s%n",
                series,
                all.size(),
                k,
                horizon,
                development ? " (development: the folds before the reported ones)" : "",
                table.step(),
                seasons.explanation(),
                noCovariates ? "ignored" : table.covariates());
        w.printf(
                "%-24s %8s %8s %11s%s%n",
                "model",
                "MASE",
                "sMAPE",
                "coverage80",
                event >= 0 ? "  MASE_on_" + eventCovariate : "");
        int eventIndex = event;
        Evaluation.StepMask mask = (i, t) -> withCovariates.get(i).covariates()[t][eventIndex] != 0;
        double deployedMase = 0;
        for (String name : rows(eval)) {
            Backtest.Score m = Backtest.mean(eval.scores(name));
            deployedMase = m.mase();
            String eventText = "";
            if (event >= 0) {
                double[] e = eval.eventMase(name, mask);
                eventText =
                        e[1] == 0
                                ? "  no event steps"
                                : String.format("  %.3f (%d steps)", e[0], (int) e[1]);
            }
            w.printf(
                    "%-24s %8.3f %8.3f %11.3f%s%n",
                    name, m.mase(), m.smape(), m.coverage(), eventText);
        }
        w.printf("deployed per series and fold: %s%n", eval.wins());
        String stem = series.getFileName().toString().replaceAll("\\.csv$", "");
        for (int i = 0; i < Math.min(4, all.size()); i++) {
            Series s = all.get(i);
            ForecastChart.write(
                    out.resolve(stem + "-" + s.id() + ".png"),
                    s.id() + " (last fold): " + eval.chosen(i, k - 1),
                    s,
                    scored[i][k - 1],
                    eval.forecast(i, k - 1, Evaluation.DEPLOYED),
                    3 * horizon);
        }
        w.printf("charts: %s%n", out.resolve(stem + "-*.png"));
        printTime(w, eval, training, started);
        String baseline = bestBaseline(eval, rule);
        double baselineMase = Backtest.mean(eval.scores(baseline)).mase();
        String snaive = rule.seasonalNaive();
        w.printf(
                "series MASE=%.3f best_baseline=%s best_baseline_MASE=%.3f ratio=%.3f"
                        + " snaive_MASE=%.3f%n",
                deployedMase,
                baseline,
                baselineMase,
                deployedMase / baselineMase,
                Backtest.mean(eval.scores(snaive)).mase());
        w.flush();
        return 0;
    }

    /** The seasons from the step, or as overridden. */
    private Seasons seasons(Duration step, List<double[]> histories) {
        try {
            return Seasons.of(step, season, longSeason, histories);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
    }

    /** The report's rows: every candidate, then what was deployed. */
    private static List<String> rows(Evaluation eval) {
        List<String> rows = new ArrayList<>(eval.candidates());
        rows.add(Evaluation.DEPLOYED);
        return rows;
    }

    /** The simple baseline with the lowest MASE over the scored forecasts. */
    private static String bestBaseline(Evaluation eval, DeployRule rule) {
        String best = null;
        double bestMase = Double.POSITIVE_INFINITY;
        for (String b : rule.baselines()) {
            double mase = Backtest.mean(eval.scores(b)).mase();
            if (mase < bestMase) {
                bestMase = mase;
                best = b;
            }
        }
        return best;
    }

    /**
     * The global LSTM's training, run by {@link Evaluation} beside the local models: it ticks the
     * progress bar each epoch and keeps its duration, or why there is no LSTM.
     */
    private static final class Training implements Supplier<GlobalLstm> {
        private final List<Series> series;
        private final int holdout;
        private final LstmConfig config;
        private Runnable onEpoch = () -> {};
        volatile double seconds;
        volatile double cpuSeconds;
        volatile String failure;

        Training(List<Series> series, int holdout, LstmConfig config) {
            this.series = series;
            this.holdout = holdout;
            this.config = config;
        }

        @Override
        public GlobalLstm get() {
            long started = System.nanoTime();
            long cpu = Evaluation.cpuNanos();
            try {
                return GlobalLstm.train(series, holdout, config, epoch -> onEpoch.run());
            } catch (IllegalArgumentException e) {
                failure = e.getMessage();
                return null;
            } finally {
                seconds = (System.nanoTime() - started) / 1e9;
                cpuSeconds = (Evaluation.cpuNanos() - cpu) / 1e9;
            }
        }
    }

    /**
     * Elapsed time, the LSTM's training time (elapsed and CPU), and each model's share of the
     * forecasting CPU time: CPU seconds say what a run costs whatever else loads the machine.
     */
    private static void printTime(PrintWriter w, Evaluation eval, Training training, long started) {
        double elapsed = (System.nanoTime() - started) / 1e9;
        double forecasting = eval.seconds().values().stream().mapToDouble(d -> d).sum();
        StringBuilder shares = new StringBuilder();
        eval.seconds().entrySet().stream()
                .sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
                .forEach(
                        e ->
                                shares.append(
                                        String.format(
                                                " %s %.0f%%",
                                                e.getKey(),
                                                100 * e.getValue() / Math.max(1e-9, forecasting))));
        w.printf(
                "elapsed %.1f s: LSTM training %.1f s (%.1f s of CPU; once, beside the local"
                        + " models); forecasting %.1f s of CPU, by model:%s%n",
                elapsed, training.seconds, training.cpuSeconds, forecasting, shares);
    }

    /** Runs the evaluation with one progress bar of LSTM epochs and forecast origins. */
    private static Evaluation evaluate(
            DeployRule rule,
            Training training,
            List<Series> all,
            int[][] scored,
            int[] earliest,
            List<ForecastModel> references) {
        try (ProgressBar bar =
                Progress.bar(
                        "LSTM epochs + forecast origins",
                        training.config.epochs()
                                + Evaluation.forecastOrigins(rule, scored, earliest))) {
            Runnable step =
                    () -> {
                        synchronized (bar) {
                            bar.step();
                        }
                    };
            training.onEpoch = step;
            return Evaluation.run(rule, training, all, scored, earliest, references, step);
        }
    }
}
