package dev.foreshadow.jobs.cli;

import dev.foreshadow.models.forecast.Backtest;
import dev.foreshadow.models.forecast.DeployRule;
import dev.foreshadow.models.forecast.Evaluation;
import dev.foreshadow.models.forecast.ForecastModel;
import dev.foreshadow.models.forecast.GlobalLstm;
import dev.foreshadow.models.forecast.LstmConfig;
import dev.foreshadow.models.forecast.Models;
import dev.foreshadow.models.forecast.Series;
import dev.foreshadow.models.metrics.Accuracy;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code foreshadow eval forecast}: trains every forecasting candidate, selects one per series by
 * rolling-origin backtest, and scores them on data none of them saw. Two modes: {@code --m4 DIR}
 * (the 414 M4 Hourly series, scored on the official test set, horizon 48) and {@code --series CSV}
 * (any long CSV, scored on its last folds).
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
    static final int M4_SEASON = 24;
    static final int M4_FOLDS = 2;

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
            names = "--season",
            paramLabel = "N",
            description = "Season length in steps (with --series).")
    Integer season;

    @Option(
            names = "--long-season",
            paramLabel = "N",
            description =
                    "A second, longer season in steps, a multiple of --season (default: 168 when the season is 24, else none).")
    Integer longSeason;

    @Option(
            names = "--horizon",
            paramLabel = "H",
            description = "Steps forecast from each origin (with --series).")
    Integer horizon;

    @Option(
            names = "--folds",
            paramLabel = "K",
            description = "Rolling-origin folds (with --series; default 4).")
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
        List<Series> full = data.series();
        LstmConfig config = LstmConfig.defaults(M4_HORIZON, M4_SEASON);
        if (quick) {
            config = config.withEpochs(3);
        }
        if (epochs != null) {
            config = config.withEpochs(epochs);
        }
        // the LSTM learns from the training part only and never from the validation folds used for
        // selection
        GlobalLstm lstm;
        int holdout = M4_HORIZON + M4_FOLDS * M4_HORIZON;
        try (ProgressBar bar = Progress.bar("LSTM epochs", config.epochs())) {
            lstm = GlobalLstm.train(full, holdout, config, epoch -> bar.step());
        }
        DeployRule rule =
                DeployRule.of(
                        M4_SEASON,
                        DeployRule.defaultLongSeason(M4_SEASON),
                        M4_HORIZON,
                        M4_FOLDS,
                        lstm);
        int n = full.size();
        int[][] scored = new int[n][];
        int[] earliest = new int[n];
        for (int i = 0; i < n; i++) {
            scored[i] = new int[] {data.origins()[i]};
            earliest[i] = full.get(i).length() - holdout;
        }
        Evaluation eval = evaluate(rule, full, scored, earliest, List.of(Models.naive2(M4_SEASON)));
        Backtest.Score naive2 = Backtest.mean(eval.scores("naive2"));
        PrintWriter w = out();
        w.printf(
                "M4 Hourly, %d series, horizon %d, test set; selection on %d rolling folds before it%n",
                n, M4_HORIZON, M4_FOLDS);
        w.printf("%-24s %8s %8s %8s %11s%n", "model", "sMAPE", "MASE", "OWA", "coverage80");
        w.printf(
                "%-24s %8.3f %8.3f %8.3f %11s%n", "naive2", naive2.smape(), naive2.mase(), 1.0, "");
        List<String> rows = new ArrayList<>(eval.candidates());
        rows.add(Evaluation.DEPLOYED);
        double owa = 0;
        Backtest.Score deployed = null;
        for (String name : rows) {
            Backtest.Score m = Backtest.mean(eval.scores(name));
            owa = Accuracy.owa(m.smape(), m.mase(), naive2.smape(), naive2.mase());
            w.printf(
                    "%-24s %8.3f %8.3f %8.3f %11.3f%n",
                    name, m.smape(), m.mase(), owa, m.coverage());
            deployed = m;
        }
        w.printf("selected per series: %s%n", eval.wins());
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
        w.printf(
                "charts: %s; elapsed %.1f s%n",
                out.resolve("m4-*.png"), (System.nanoTime() - started) / 1e9);
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
        if (season == null || horizon == null) {
            throw new CliException("--series needs --season N and --horizon H");
        }
        if (season < 1 || horizon < 1) {
            throw new CliException("--season and --horizon must be positive");
        }
        int k = folds == null ? 4 : folds;
        if (k < 1 || k > 1000) {
            throw new CliException("--folds must be between 1 and 1000, got " + k);
        }
        int m2 = longSeason != null ? longSeason : DeployRule.defaultLongSeason(season);
        if (m2 < 0 || (m2 > 0 && (m2 <= season || m2 % season != 0))) {
            throw new CliException(
                    "--long-season must be a multiple of --season greater than it, or 0");
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
        List<Series> withCovariates = table.series();
        List<Series> all =
                noCovariates
                        ? withCovariates.stream().map(Series::withoutCovariates).toList()
                        : withCovariates;
        // K scored folds, plus one fold before them so that the first scored fold has a backtest
        // to select on; the LSTM learns from everything before that extra fold
        int needed = DeployRule.minimumLength(k, horizon, season);
        int[][] scored = new int[all.size()][];
        int[] earliest = new int[all.size()];
        for (int i = 0; i < all.size(); i++) {
            Series s = all.get(i);
            if (s.length() < needed) {
                throw new CliException(
                        s.id()
                                + ": "
                                + s.length()
                                + " values are too few for "
                                + k
                                + " folds of "
                                + horizon
                                + " and a season of "
                                + season);
            }
            int[] origins = Backtest.origins(s.length(), k + 1, horizon, 0);
            earliest[i] = origins[0];
            scored[i] = Arrays.copyOfRange(origins, 1, k + 1);
        }
        LstmConfig config = LstmConfig.forSeries(horizon, season, m2);
        if (epochs != null) {
            config = config.withEpochs(epochs);
        }
        GlobalLstm lstm = null;
        try (ProgressBar bar = Progress.bar("LSTM epochs", config.epochs())) {
            lstm = GlobalLstm.train(all, (k + 1) * horizon, config, epoch -> bar.step());
        } catch (IllegalArgumentException e) {
            out().println("no LSTM: " + e.getMessage());
        }
        DeployRule rule = DeployRule.of(season, m2, horizon, DeployRule.FOLDS, lstm);
        Evaluation eval = evaluate(rule, all, scored, earliest, List.of());
        PrintWriter w = out();
        w.printf(
                "%s: %d series, %d folds of horizon %d, season %d%s, covariates %s%n",
                series,
                all.size(),
                k,
                horizon,
                season,
                m2 > 0 ? "x" + m2 : "",
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
        List<String> rows = new ArrayList<>(eval.candidates());
        rows.add(Evaluation.DEPLOYED);
        double snaiveMase = 0;
        double deployedMase = 0;
        for (String name : rows) {
            Backtest.Score m = Backtest.mean(eval.scores(name));
            if (name.equals("snaive" + season)) {
                snaiveMase = m.mase();
            }
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
        w.printf("selected per series and fold: %s%n", eval.wins());
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
        w.printf(
                "charts: %s; elapsed %.1f s%n",
                out.resolve(stem + "-*.png"), (System.nanoTime() - started) / 1e9);
        w.printf(
                "series MASE=%.3f snaive_MASE=%.3f ratio=%.3f%n",
                deployedMase, snaiveMase, deployedMase / snaiveMase);
        w.flush();
        return 0;
    }

    /** Runs the evaluation with a progress bar of forecast origins. */
    private static Evaluation evaluate(
            DeployRule rule,
            List<Series> all,
            int[][] scored,
            int[] earliest,
            List<ForecastModel> references) {
        try (ProgressBar bar =
                Progress.bar(
                        "forecast origins", Evaluation.forecastOrigins(rule, scored, earliest))) {
            return Evaluation.run(
                    rule,
                    all,
                    scored,
                    earliest,
                    references,
                    () -> {
                        synchronized (bar) {
                            bar.step();
                        }
                    });
        }
    }
}
