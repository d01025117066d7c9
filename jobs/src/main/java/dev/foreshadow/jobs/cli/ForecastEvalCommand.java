package dev.foreshadow.jobs.cli;

import dev.foreshadow.models.forecast.Backtest;
import dev.foreshadow.models.forecast.Forecast;
import dev.foreshadow.models.forecast.ForecastModel;
import dev.foreshadow.models.forecast.GlobalLstm;
import dev.foreshadow.models.forecast.LstmConfig;
import dev.foreshadow.models.forecast.ModelSelection;
import dev.foreshadow.models.forecast.Models;
import dev.foreshadow.models.forecast.Series;
import dev.foreshadow.models.metrics.Accuracy;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
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

    private static ProgressBar progress(String task, long max) {
        return new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(max)
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .setUpdateIntervalMillis(500)
                .build();
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
        Path dir = DataDir.resolve(m4.isEmpty() ? null : Path.of(m4), "m4");
        Path trainFile = dir.resolve("Dataset/Train/Hourly-train.csv");
        Path testFile = dir.resolve("Dataset/Test/Hourly-test.csv");
        if (!Files.isRegularFile(trainFile) || !Files.isRegularFile(testFile)) {
            throw new CliException(
                    dir
                            + " has no Dataset/Train/Hourly-train.csv and Dataset/Test/Hourly-test.csv");
        }
        List<Series> train = SeriesFiles.readM4(trainFile);
        List<Series> test = SeriesFiles.readM4(testFile);
        if (train.size() != test.size()) {
            throw new CliException("train and test files hold different numbers of series");
        }
        List<Series> full = new ArrayList<>();
        List<Integer> origins = new ArrayList<>();
        for (int i = 0; i < train.size(); i++) {
            if (quick && i % 10 != 0) {
                continue;
            }
            Series tr = train.get(i);
            Series te = test.get(i);
            if (!tr.id().equals(te.id()) || te.length() != M4_HORIZON) {
                throw new CliException("test series " + te.id() + " does not match " + tr.id());
            }
            double[] values = new double[tr.length() + te.length()];
            System.arraycopy(tr.values(), 0, values, 0, tr.length());
            System.arraycopy(te.values(), 0, values, tr.length(), te.length());
            full.add(Series.of(tr.id(), values));
            origins.add(tr.length());
        }
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
        try (ProgressBar bar = progress("LSTM epochs", config.epochs())) {
            lstm = GlobalLstm.train(full, holdout, config, epoch -> bar.step());
        }
        ModelSelection selection = new ModelSelection(Models.localCandidates(M4_SEASON, 168), lstm);
        ForecastModel naive2 = Models.naive2(M4_SEASON);
        List<String> names = selection.names();
        int n = full.size();
        Map<String, Forecast>[] testForecasts = newMaps(n);
        String[] chosen = new String[n];
        Backtest.Score[] naive2Scores = new Backtest.Score[n];
        try (ProgressBar bar = progress("backtest + test", n)) {
            IntStream.range(0, n)
                    .parallel()
                    .forEach(
                            i -> {
                                Series s = full.get(i);
                                int origin = origins.get(i);
                                int[] validation =
                                        Backtest.origins(origin, M4_FOLDS, M4_HORIZON, 0);
                                chosen[i] =
                                        ModelSelection.choose(
                                                selection.backtest(
                                                        s, validation, M4_HORIZON, M4_SEASON));
                                testForecasts[i] = selection.forecastAll(s, origin, M4_HORIZON);
                                naive2Scores[i] =
                                        Backtest.Score.of(
                                                s,
                                                origin,
                                                naive2.forecast(s, origin, M4_HORIZON),
                                                M4_SEASON);
                                synchronized (bar) {
                                    bar.step();
                                }
                            });
        }
        double naive2Smape = mean(naive2Scores, Backtest.Score::smape);
        double naive2Mase = mean(naive2Scores, Backtest.Score::mase);
        PrintWriter w = out();
        w.printf(
                "M4 Hourly, %d series, horizon %d, test set; selection on %d rolling folds before it%n",
                n, M4_HORIZON, M4_FOLDS);
        w.printf("%-24s %8s %8s %8s %11s%n", "model", "sMAPE", "MASE", "OWA", "coverage80");
        w.printf("%-24s %8.3f %8.3f %8.3f %11s%n", "naive2", naive2Smape, naive2Mase, 1.0, "");
        List<String> rows = new ArrayList<>(names);
        rows.add("selected");
        Map<String, Integer> wins = new LinkedHashMap<>();
        double[] last = null;
        for (String name : rows) {
            Backtest.Score[] scores = new Backtest.Score[n];
            for (int i = 0; i < n; i++) {
                String model = name.equals("selected") ? chosen[i] : name;
                scores[i] =
                        Backtest.Score.of(
                                full.get(i),
                                origins.get(i),
                                testForecasts[i].get(model),
                                M4_SEASON);
            }
            double smape = mean(scores, Backtest.Score::smape);
            double mase = mean(scores, Backtest.Score::mase);
            double owa = Accuracy.owa(smape, mase, naive2Smape, naive2Mase);
            w.printf(
                    "%-24s %8.3f %8.3f %8.3f %11.3f%n",
                    name, smape, mase, owa, mean(scores, Backtest.Score::coverage));
            if (name.equals("selected")) {
                last = new double[] {smape, mase, owa};
            }
        }
        for (String c : chosen) {
            wins.merge(c, 1, Integer::sum);
        }
        w.printf("selected per series: %s%n", wins);
        for (int i = 0; i < Math.min(6, n); i++) {
            int k = i * Math.max(1, n / 6);
            Series s = full.get(k);
            ForecastChart.write(
                    out.resolve("m4-" + s.id() + ".png"),
                    "M4 " + s.id() + ": " + chosen[k],
                    s,
                    origins.get(k),
                    testForecasts[k].get(chosen[k]),
                    3 * M4_HORIZON);
        }
        w.printf(
                "charts: %s; elapsed %.1f s%n",
                out.resolve("m4-*.png"), (System.nanoTime() - started) / 1e9);
        w.printf("M4-Hourly sMAPE=%.3f MASE=%.3f OWA=%.3f%n", last[0], last[1], last[2]);
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
        int m2 = longSeason != null ? longSeason : season == 24 ? 168 : 0;
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
        // origins: K scored folds, plus one fold before them so that the first scored fold has a
        // backtest to select on
        int[][] origins = new int[all.size()][];
        for (int i = 0; i < all.size(); i++) {
            Series s = all.get(i);
            if (s.length() < (k + 1) * horizon + 2 * season) {
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
            origins[i] = Backtest.origins(s.length(), k + 1, horizon, 0);
        }
        LstmConfig config = LstmConfig.forSeries(horizon, season, m2);
        if (epochs != null) {
            config = config.withEpochs(epochs);
        }
        GlobalLstm lstm = null;
        try (ProgressBar bar = progress("LSTM epochs", config.epochs())) {
            lstm = GlobalLstm.train(all, (k + 1) * horizon, config, epoch -> bar.step());
        } catch (IllegalArgumentException e) {
            out().println("no LSTM: " + e.getMessage());
        }
        ModelSelection selection = new ModelSelection(Models.localCandidates(season, m2), lstm);
        List<String> names = selection.names();
        // scores[model][series][origin]
        Map<String, Backtest.Score[][]> scores = new LinkedHashMap<>();
        Map<String, double[][]> eventErrors =
                new LinkedHashMap<>(); // [series][0: abs error sum / scale, 1: count]
        for (String name : names) {
            scores.put(name, new Backtest.Score[all.size()][k + 1]);
            eventErrors.put(name, new double[all.size()][2]);
        }
        Map<String, Forecast>[][] forecasts = newGrid(all.size(), k + 1);
        final int eventIndex = event;
        try (ProgressBar bar = progress("rolling origins", (long) all.size() * (k + 1))) {
            for (int i = 0; i < all.size(); i++) {
                Series s = all.get(i);
                final int si = i;
                IntStream.range(0, k + 1)
                        .parallel()
                        .forEach(
                                f -> {
                                    int origin = origins[si][f];
                                    Map<String, Forecast> fc =
                                            selection.forecastAll(s, origin, horizon);
                                    forecasts[si][f] = fc;
                                    for (String name : names) {
                                        scores.get(name)[si][f] =
                                                Backtest.Score.of(s, origin, fc.get(name), season);
                                    }
                                    synchronized (bar) {
                                        bar.step();
                                    }
                                });
            }
        }
        // what foreshadow deploys: at each scored fold, the candidate with the best mean MASE on
        // the folds before it
        Backtest.Score[][] selected = new Backtest.Score[all.size()][k];
        String[][] chosen = new String[all.size()][k];
        for (int i = 0; i < all.size(); i++) {
            for (int f = 1; f <= k; f++) {
                Map<String, Backtest.Score> before = new LinkedHashMap<>();
                for (String name : names) {
                    double sum = 0;
                    int count = 0;
                    for (int g = Math.max(0, f - 3); g < f; g++) {
                        sum += scores.get(name)[i][g].mase();
                        count++;
                    }
                    before.put(name, new Backtest.Score(0, sum / count, 0, 0));
                }
                chosen[i][f - 1] = ModelSelection.choose(before);
                selected[i][f - 1] = scores.get(chosen[i][f - 1])[i][f];
            }
        }
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
        double snaiveMase = 0;
        for (String name : names) {
            Backtest.Score[] flat = scored(scores.get(name), k);
            double mase = mean(flat, Backtest.Score::mase);
            if (name.equals("snaive" + season)) {
                snaiveMase = mase;
            }
            String eventText = "";
            if (event >= 0) {
                eventText =
                        "  "
                                + eventMase(
                                        withCovariates,
                                        origins,
                                        forecasts,
                                        (i, f) -> name,
                                        eventIndex,
                                        k,
                                        horizon,
                                        season);
            }
            w.printf(
                    "%-24s %8.3f %8.3f %11.3f%s%n",
                    name,
                    mase,
                    mean(flat, Backtest.Score::smape),
                    mean(flat, Backtest.Score::coverage),
                    eventText);
        }
        Backtest.Score[] flatSelected = scored(selected, k);
        double selectedMase = mean(flatSelected, Backtest.Score::mase);
        String selectedEvent =
                event < 0
                        ? ""
                        : "  "
                                + eventMase(
                                        withCovariates,
                                        origins,
                                        forecasts,
                                        (i, f) -> chosen[i][f - 1],
                                        eventIndex,
                                        k,
                                        horizon,
                                        season);
        w.printf(
                "%-24s %8.3f %8.3f %11.3f%s%n",
                "selected",
                selectedMase,
                mean(flatSelected, Backtest.Score::smape),
                mean(flatSelected, Backtest.Score::coverage),
                selectedEvent);
        Map<String, Integer> wins = new LinkedHashMap<>();
        for (String[] row : chosen) {
            for (String c : row) {
                wins.merge(c, 1, Integer::sum);
            }
        }
        w.printf("selected per series and fold: %s%n", wins);
        String stem = series.getFileName().toString().replaceAll("\\.csv$", "");
        for (int i = 0; i < Math.min(4, all.size()); i++) {
            Series s = all.get(i);
            ForecastChart.write(
                    out.resolve(stem + "-" + s.id() + ".png"),
                    s.id() + " (last fold): " + chosen[i][k - 1],
                    s,
                    origins[i][k],
                    forecasts[i][k].get(chosen[i][k - 1]),
                    3 * horizon);
        }
        w.printf(
                "charts: %s; elapsed %.1f s%n",
                out.resolve(stem + "-*.png"), (System.nanoTime() - started) / 1e9);
        w.printf(
                "series MASE=%.3f snaive_MASE=%.3f ratio=%.3f%n",
                selectedMase, snaiveMase, selectedMase / snaiveMase);
        w.flush();
        return 0;
    }

    /**
     * MASE restricted to the scored steps whose event covariate is non-zero, and how many steps
     * that is.
     */
    /** Which model's forecast to score for series {@code i} at fold {@code f}. */
    private interface ModelAt {
        String name(int series, int fold);
    }

    private static String eventMase(
            List<Series> all,
            int[][] origins,
            Map<String, Forecast>[][] forecasts,
            ModelAt model,
            int event,
            int k,
            int horizon,
            int season) {
        double sum = 0;
        int count = 0;
        for (int i = 0; i < all.size(); i++) {
            Series s = all.get(i);
            if (s.covariates() == null) {
                return "n/a";
            }
            for (int f = 1; f <= k; f++) {
                int origin = origins[i][f];
                double scale = Accuracy.maseScale(s.history(origin), season);
                Forecast fc = forecasts[i][f].get(model.name(i, f));
                for (int h = 0; h < horizon; h++) {
                    if (s.covariates()[origin + h][event] != 0) {
                        sum +=
                                Math.abs(s.values()[origin + h] - fc.p50()[h])
                                        / (scale > 0 ? scale : 1);
                        count++;
                    }
                }
            }
        }
        return count == 0 ? "no event steps" : String.format("%.3f (%d steps)", sum / count, count);
    }

    private static Backtest.Score[] scored(Backtest.Score[][] grid, int k) {
        List<Backtest.Score> out = new ArrayList<>();
        for (Backtest.Score[] row : grid) {
            for (int f = row.length - k; f < row.length; f++) {
                out.add(row[f]);
            }
        }
        return out.toArray(Backtest.Score[]::new);
    }

    private static double mean(
            Backtest.Score[] scores, java.util.function.ToDoubleFunction<Backtest.Score> metric) {
        double sum = 0;
        for (Backtest.Score s : scores) {
            sum += metric.applyAsDouble(s);
        }
        return sum / scores.length;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Forecast>[] newMaps(int n) {
        return new Map[n];
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Forecast>[][] newGrid(int n, int k) {
        return new Map[n][k];
    }
}
