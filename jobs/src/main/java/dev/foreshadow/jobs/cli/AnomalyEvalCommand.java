package dev.foreshadow.jobs.cli;

import dev.foreshadow.jobs.common.ProgressBars;
import dev.foreshadow.models.anomaly.StreamDetector;
import dev.foreshadow.models.anomaly.nab.NabBenchmark;
import dev.foreshadow.models.anomaly.nab.NabCorpus;
import dev.foreshadow.models.anomaly.nab.NabFile;
import dev.foreshadow.models.anomaly.nab.NabPublished;
import dev.foreshadow.models.anomaly.nab.NabScorer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code foreshadow eval anomalies --nab DIR}: runs the live detector ({@link StreamDetector}, both
 * views, default configuration, the same for every file) over every CSV under {@code DIR/data},
 * scores it as NAB does, and prints per-file scores, the totals per profile, the published
 * detectors re-totalled on the same files, and as its last line {@code NAB standard=S1
 * reward_low_FP_rate=S2 reward_low_FN_rate=S3} (normalised scores). {@code --development-only} runs
 * and prints only the development files ({@code NabCorpus.heldOut}), the ones to compare designs
 * on; {@code --first-view-only} scores the detector without its second view.
 */
@Command(
        name = "anomalies",
        mixinStandardHelpOptions = true,
        footerHeading = "%nExample:%n",
        footer = {"  ./foreshadow eval anomalies --nab ../shared/data/nab"},
        description = "Score the live anomaly detector on the Numenta Anomaly Benchmark (NAB).")
final class AnomalyEvalCommand implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Option(
            names = "--nab",
            paramLabel = "DIR",
            description = "NAB folder (data/, labels/, config/); default: shared/data/nab")
    private Path nab;

    @Option(
            names = "--development-only",
            description =
                    "Score only the development files (compare designs on these; the held-out"
                            + " files are neither run nor printed)")
    private boolean developmentOnly;

    @Option(
            names = "--first-view-only",
            description =
                    "Without the second (shape) view: the detector as it was before it, to compare")
    private boolean firstViewOnly;

    @Override
    public Integer call() {
        Path dir = DataDir.resolve(nab, "nab");
        NabCorpus corpus;
        try {
            corpus = NabCorpus.load(dir);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        if (developmentOnly) {
            corpus = corpus.split(false);
        }
        StreamDetector.Config config =
                firstViewOnly
                        ? StreamDetector.Config.DEFAULT.toBuilder().shapeWindow(0).build()
                        : StreamDetector.Config.DEFAULT;
        PrintWriter out = spec.commandLine().getOut();
        long rows = corpus.files().stream().mapToLong(NabFile::rows).sum();
        List<double[]> scores;
        try (ProgressBar bar = ProgressBars.of("NAB", rows, " rows")) {
            scores = NabBenchmark.detect(corpus, config, bar::stepBy);
        }
        List<NabScorer.Result> results = NabBenchmark.score(corpus, scores);

        StringBuilder header =
                new StringBuilder(String.format(Locale.ROOT, "%-58s %7s", "file", "windows"));
        for (NabScorer.Result r : results) {
            header.append(String.format(Locale.ROOT, " %20s", r.profile().name()));
        }
        out.println(header);
        for (int f = 0; f < corpus.files().size(); f++) {
            StringBuilder line =
                    new StringBuilder(
                            String.format(
                                    Locale.ROOT,
                                    "%-58s %7d",
                                    corpus.files().get(f).name(),
                                    corpus.files().get(f).windows().size()));
            for (NabScorer.Result r : results) {
                line.append(String.format(Locale.ROOT, " %20.3f", r.files().get(f).score()));
            }
            out.println(line);
        }
        for (NabScorer.Result r : results) {
            int tp = r.files().stream().mapToInt(NabScorer.FileScore::tp).sum();
            int fp = r.files().stream().mapToInt(NabScorer.FileScore::fp).sum();
            out.printf(
                    Locale.ROOT,
                    "total %-20s threshold=%.4f raw=%.3f null=%.1f perfect=%.1f tp_rows=%d fp_rows=%d normalised=%.1f%n",
                    r.profile().name(),
                    r.threshold(),
                    r.score(),
                    r.nullScore(),
                    r.perfectScore(),
                    tp,
                    fp,
                    r.normalised());
        }

        double[] ours = normalised(results);
        out.printf(
                Locale.ROOT,
                "%nnormalised on these %d files (published detectors re-totalled from %s):%n",
                corpus.files().size(),
                dir.resolve("results"));
        printTable(out, dir, corpus, ours);

        NabCorpus held = corpus.split(true);
        if (!held.files().isEmpty()) {
            NabCorpus dev = corpus.split(false);
            NabBenchmark.Split split = NabBenchmark.scoreSplit(corpus, scores);
            out.printf(
                    Locale.ROOT,
                    "%ndevelopment files (%d; the detector's design was chosen on these):%n",
                    dev.files().size());
            printTable(out, dir, dev, normalised(split.development()));
            double[] heldOurs = normalised(split.heldOut());
            out.printf(
                    Locale.ROOT,
                    "%nheld out of development (%d files: every second file of each real* folder,"
                            + " by name; foreshadow's thresholds optimised on the development files):%n",
                    held.files().size());
            printTable(out, dir, held, heldOurs);
            out.printf(
                    Locale.ROOT,
                    "NAB held-out standard=%.1f reward_low_FP_rate=%.1f reward_low_FN_rate=%.1f%n",
                    heldOurs[0],
                    heldOurs[1],
                    heldOurs[2]);
        }
        StringBuilder last = new StringBuilder(developmentOnly ? "NAB development" : "NAB");
        for (NabScorer.Result r : results) {
            last.append(String.format(Locale.ROOT, " %s=%.1f", r.profile().name(), r.normalised()));
        }
        out.println(last);
        out.flush();
        return 0;
    }

    private static double[] normalised(List<NabScorer.Result> results) {
        return results.stream().mapToDouble(NabScorer.Result::normalised).toArray();
    }

    /** The published detectors' totals over {@code files}, with foreshadow's, best first. */
    private static void printTable(PrintWriter out, Path dir, NabCorpus files, double[] ours) {
        List<NabPublished.Row> table = new ArrayList<>(NabPublished.totals(dir, files));
        table.add(new NabPublished.Row("foreshadow (this run)", ours));
        table.sort(Comparator.comparingDouble((NabPublished.Row r) -> -r.normalised()[0]));
        out.printf(
                Locale.ROOT,
                "%-24s %10s %20s %20s%n",
                "detector",
                "standard",
                "reward_low_FP_rate",
                "reward_low_FN_rate");
        for (NabPublished.Row r : table) {
            out.printf(
                    Locale.ROOT,
                    "%-24s %10.1f %20.1f %20.1f%n",
                    r.detector(),
                    r.normalised()[0],
                    r.normalised()[1],
                    r.normalised()[2]);
        }
    }
}
