package dev.foreshadow.jobs.cli;

import dev.foreshadow.connectors.benchmark.SinkBenchmark;
import dev.foreshadow.jobs.bench.ForecastBenchmark;
import dev.foreshadow.jobs.bench.LatencyBenchmark;
import dev.foreshadow.jobs.bench.PipelineBenchmark;
import dev.foreshadow.jobs.bench.StateBenchmark;
import dev.foreshadow.jobs.common.ProgressBars;
import dev.foreshadow.jobs.shadow.forecast.ForecastSettings;
import dev.foreshadow.models.anomaly.ActionScorer;
import dev.foreshadow.models.anomaly.StreamDetector;
import dev.foreshadow.models.anomaly.bench.DetectorBenchmark;
import dev.foreshadow.models.anomaly.flowbench.FlowBench;
import dev.foreshadow.models.anomaly.nab.NabCorpus;
import dev.foreshadow.models.anomaly.nab.NabFile;
import dev.foreshadow.models.demand.Seasons;
import dev.foreshadow.models.forecast.LstmConfig;
import dev.foreshadow.models.forecast.Series;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code foreshadow bench ...}: performance measurements that print their figures. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        footerHeading = "%nExample:%n",
        footer = {"  ./foreshadow bench sink --rows 200000"},
        description = "Measure performance; prints the figures.",
        subcommands = {
            BenchCommand.Sink.class,
            BenchCommand.Pipeline.class,
            BenchCommand.State.class,
            BenchCommand.Detector.class,
            BenchCommand.Forecast.class
        })
final class BenchCommand {

    /** {@code bench sink}: {@link SinkBenchmark}, with a progress bar and its figures printed. */
    @Command(
            name = "sink",
            mixinStandardHelpOptions = true,
            footerHeading = "%nExample:%n",
            footer = {"  ./foreshadow bench sink --rows 1000000 --batch 5000"},
            description =
                    "History sink vs raw COPY into an identical table; last line: sink/copy ratio=R.")
    static final class Sink implements Callable<Integer> {

        @Option(
                names = "--rows",
                defaultValue = "1000000",
                description = "Rows per path (default: ${DEFAULT-VALUE}).")
        int rows;

        @Option(
                names = "--batch",
                defaultValue = "5000",
                description = "Rows per COPY (default: ${DEFAULT-VALUE}, as history.batch-size).")
        int batch;

        @Option(
                names = "--rounds",
                defaultValue = "4",
                description = "Alternating rounds (default: ${DEFAULT-VALUE}).")
        int rounds;

        @Option(
                names = "--run-dir",
                defaultValue = "target/bench/sink",
                description = "Folder of the database (default: ${DEFAULT-VALUE}).")
        Path runDir;

        @Override
        public Integer call() throws Exception {
            if (rows < 1 || batch < 1 || rounds < 1 || rows < rounds) {
                throw new CliException(
                        "--rows, --batch and --rounds must be positive, and --rows at least --rounds");
            }
            System.out.printf(
                    "bench sink: %,d rows per path, batches of %,d, %d alternating rounds%n",
                    rows, batch, rounds);
            SinkBenchmark.Result r;
            try (ProgressBar bar = ProgressBars.of("bench sink", 2L * rows, " rows")) {
                r = SinkBenchmark.run(rows, batch, rounds, runDir, bar::stepBy);
            }
            System.out.printf(
                    "sink: %,d rows in %.2f s = %,.0f rows/s (HistoryWriter: COPY, partitions, idempotent fallback)%n",
                    rows, r.sinkNanos() / 1e9, r.sinkRowsPerSecond());
            System.out.printf(
                    "copy: %,d rows in %.2f s = %,.0f rows/s (raw COPY into an identical table)%n",
                    rows, r.copyNanos() / 1e9, r.copyRowsPerSecond());
            System.out.printf("sink/copy ratio=%.3f%n", r.ratio());
            return 0;
        }
    }

    /** {@code bench pipeline}: {@link PipelineBenchmark}, its figures printed. */
    @Command(
            name = "pipeline",
            mixinStandardHelpOptions = true,
            footerHeading = "%nExamples:%n",
            footer = {
                "  ./foreshadow bench pipeline --events 1000000 --rounds 2",
                "  ./foreshadow bench pipeline --events 200000 --latency-only"
            },
            description =
                    "ShadowJob's whole graph vs a bare Kafka -> decode -> Kafka passthrough over the same events,"
                            + " then, at half ShadowJob's rate, the latency from an action's event to its alert and"
                            + " from an external event to the first allocation command citing it; last line:"
                            + " pipeline/passthrough ratio=R (with --latency-only: the command latency).")
    static final class Pipeline implements Callable<Integer> {

        @Option(
                names = "--events",
                defaultValue = "1000000",
                description = "Events of the demo's shape to publish (default: ${DEFAULT-VALUE}).")
        int events;

        @Option(
                names = "--parallelism",
                defaultValue = "2",
                description = "Parallelism of both jobs (default: ${DEFAULT-VALUE}).")
        int parallelism;

        @Option(
                names = "--rounds",
                defaultValue = "2",
                description = "Alternating rounds of each job (default: ${DEFAULT-VALUE}).")
        int rounds;

        @Option(names = "--skip-latency", description = "Only the throughput rounds.")
        boolean skipLatency;

        @Option(
                names = "--latency-only",
                description =
                        "Only the latency part: one ShadowJob over the events (its rate is the maximum),"
                                + " then the live workload at half of it.")
        boolean latencyOnly;

        @Option(
                names = "--checkpoint-interval",
                defaultValue = "30",
                description =
                        "Seconds between the checkpoints of both jobs (default: ${DEFAULT-VALUE},"
                                + " flink-conf/config.yaml's).")
        int checkpointSeconds;

        @Option(
                names = "--run-dir",
                defaultValue = "target/bench/pipeline",
                description = "Folder of the stack and the clusters (default: ${DEFAULT-VALUE}).")
        Path runDir;

        @Override
        public Integer call() throws Exception {
            if (events < 1000 || parallelism < 1 || rounds < 1 || checkpointSeconds < 1) {
                throw new CliException(
                        "--events must be at least 1000, --parallelism, --rounds and"
                                + " --checkpoint-interval at least 1");
            }
            if (skipLatency && latencyOnly) {
                throw new CliException("--skip-latency and --latency-only exclude each other");
            }
            PipelineBenchmark.Parts parts =
                    skipLatency
                            ? PipelineBenchmark.Parts.THROUGHPUT
                            : latencyOnly
                                    ? PipelineBenchmark.Parts.LATENCY
                                    : PipelineBenchmark.Parts.BOTH;
            System.out.printf(
                    "bench pipeline: %,d events, parallelism %d, a checkpoint every %d s%n",
                    events, parallelism, checkpointSeconds);
            PipelineBenchmark.Result r;
            try (ProgressBar bar = ProgressBars.of("publishing", events, " events")) {
                r =
                        new PipelineBenchmark(
                                        runDir,
                                        parallelism,
                                        Duration.ofSeconds(checkpointSeconds),
                                        System.out::println)
                                .run(events, rounds, parts, bar::stepBy);
            }
            int pipelineRounds = latencyOnly ? 1 : rounds;
            System.out.printf(
                    "pipeline: %,d events x %d rounds at %,.0f events/s (ShadowJob: history sink, detectors, patterns)%n",
                    r.events(), pipelineRounds, r.pipelinePerSecond());
            if (r.latency() != null) {
                printLatency(r.latency());
            }
            if (!latencyOnly) {
                System.out.printf(
                        "passthrough: %,d events x %d rounds at %,.0f events/s (Kafka -> decode -> Kafka)%n",
                        r.events(), rounds, r.passthroughPerSecond());
                System.out.printf("pipeline/passthrough ratio=%.3f%n", r.ratio());
            }
            return 0;
        }

        private static void printLatency(LatencyBenchmark.Result l) {
            double ooo = l.outOfOrderness().toMillis() / 1000.0;
            int alerts = l.alertProbes();
            int commands = l.commandProbes();
            System.out.printf(
                    "latency at %,.0f events/s (half the pipeline's rate), %,d live events;"
                            + " watermark.out-of-orderness=%s s, forecast.bucket=%s s%n",
                    l.rate(), l.published(), fmt(ooo), fmt(l.bucket().toSeconds()));
            System.out.printf(
                    "alert: %d of %d probe actions alerted; publish -> anomalies topic p50=%s"
                            + " p99=%s, p99 beyond out-of-orderness %s (target 0.5 s)%n",
                    l.alertMs().length,
                    alerts,
                    seconds(l.alertMs(), alerts, 0.5, 0),
                    seconds(l.alertMs(), alerts, 0.99, 0),
                    seconds(l.alertMs(), alerts, 0.99, ooo));
            System.out.printf(
                    "command: %d of %d external events commanded; publish -> first allocation command"
                            + " citing it p50=%s p99=%s, p99 beyond out-of-orderness %s (target 0.5 s)%n",
                    l.commandMs().length,
                    commands,
                    seconds(l.commandMs(), commands, 0.5, 0),
                    seconds(l.commandMs(), commands, 0.99, 0),
                    seconds(l.commandMs(), commands, 0.99, ooo));
            System.out.printf(
                    "command after it was issued (a revision at the event's announcement, else the"
                            + " forecast origin): issuedAt -> allocation-commands topic p50=%s p99=%s%n",
                    seconds(l.commandAfterIssueMs(), commands, 0.5, 0),
                    seconds(l.commandAfterIssueMs(), commands, 0.99, 0));
        }

        /** The quantile in seconds less {@code minus}, or why it is not known. */
        private static String seconds(long[] ms, int sent, double q, double minus) {
            double x = LatencyBenchmark.quantile(ms, sent, q);
            return Double.isNaN(x)
                    ? "unknown (" + (sent - ms.length) + " unanswered)"
                    : fmt(x / 1000 - minus) + " s";
        }

        private static String fmt(double seconds) {
            return Double.isNaN(seconds) ? "n/a" : String.format("%.3f", seconds);
        }
    }

    /** {@code bench state}: {@link StateBenchmark}, what runs in flight cost ShadowJob. */
    @Command(
            name = "state",
            mixinStandardHelpOptions = true,
            footerHeading = "%nExample:%n",
            footer = {"  ./foreshadow bench state --runs 100000"},
            description =
                    "Heap and savepoint bytes of ShadowJob per run in flight; last line: state"
                            + " heap_per_run=.. savepoint_per_run=.. heap_for_100k_runs_mib=..")
    static final class State implements Callable<Integer> {

        @Option(
                names = "--runs",
                defaultValue = "100000",
                description = "Runs left in flight (default: ${DEFAULT-VALUE}).")
        int runs;

        @Option(
                names = "--run-dir",
                defaultValue = "target/bench/state",
                description = "Folder of the stack and the cluster (default: ${DEFAULT-VALUE}).")
        Path runDir;

        @Override
        public Integer call() throws Exception {
            if (runs < 1000) {
                throw new CliException("--runs must be at least 1000, got " + runs);
            }
            StateBenchmark.Result r;
            try (ProgressBar bar = ProgressBars.of("publishing", runs, " runs")) {
                r = new StateBenchmark(runDir, System.out::println).run(runs, bar::stepBy);
            }
            System.out.printf(
                    "heap held by ShadowJob: %,.1f MiB for %,d runs in flight%n",
                    r.heapBytes() / 1048576.0, r.runs());
            System.out.printf(
                    "savepoint of the whole job: %,.1f MiB%n", r.savepointBytes() / 1048576.0);
            System.out.printf(
                    "state heap_per_run=%.0f savepoint_per_run=%.0f heap_for_100k_runs_mib=%.0f%n",
                    r.heapPerRun(), r.savepointPerRun(), r.heapPerRun() * 100_000 / 1048576.0);
            return 0;
        }
    }

    /**
     * {@code bench detector}: {@link DetectorBenchmark}, time per scored metric value and state per
     * (workflow type, action type, metric), with and without the second view.
     */
    @Command(
            name = "detector",
            mixinStandardHelpOptions = true,
            footerHeading = "%nExample:%n",
            footer = {"  ./foreshadow bench detector --rounds 3"},
            description =
                    "Time per scored metric value and state per detector, on FlowBench (the job's"
                            + " path) and NAB; last line: detector: ... us per value, ... bytes of"
                            + " state.")
    static final class Detector implements Callable<Integer> {

        @Option(
                names = "--flowbench",
                paramLabel = "DIR",
                description = "FlowBench folder (with data/); default: shared/data/flowbench")
        Path flowbench;

        @Option(
                names = "--nab",
                paramLabel = "DIR",
                description = "NAB folder (data/, labels/, config/); default: shared/data/nab")
        Path nab;

        @Option(
                names = "--rounds",
                defaultValue = "3",
                description =
                        "Alternating rounds per configuration; the fastest is reported (default:"
                                + " ${DEFAULT-VALUE}).")
        int rounds;

        @Override
        public Integer call() {
            if (rounds < 1) {
                throw new CliException("--rounds must be positive, got " + rounds);
            }
            List<FlowBench.Task> tasks;
            NabCorpus corpus;
            try {
                tasks = FlowBench.load(DataDir.resolve(flowbench, "flowbench"));
                corpus = NabCorpus.load(DataDir.resolve(nab, "nab"));
            } catch (IllegalArgumentException e) {
                throw new CliException(e.getMessage());
            }
            StreamDetector.Config job = ActionScorer.CONFIG;
            StreamDetector.Config jobFirst = ActionScorer.firstViewOnly();
            StreamDetector.Config streams = StreamDetector.Config.DEFAULT;
            StreamDetector.Config streamsFirst = streams.toBuilder().shapeWindow(0).build();
            long rows = corpus.files().stream().mapToLong(NabFile::rows).sum();
            System.out.printf(
                    "bench detector: %,d FlowBench tasks (the job's path: snapshot in, score,"
                            + " snapshot out), %,d NAB rows (metric streams); %d alternating"
                            + " rounds, fastest reported%n",
                    tasks.size(), rows, rounds);
            DetectorBenchmark.Result[] r = new DetectorBenchmark.Result[4];
            try (ProgressBar bar =
                    ProgressBars.of("bench detector", 2L * rounds * (tasks.size() + rows), "")) {
                for (int round = 0; round < rounds; round++) {
                    r[0] =
                            fastest(
                                    r[0],
                                    DetectorBenchmark.jobPath(
                                            "job, both views", tasks, job, 1, bar::stepBy));
                    r[1] =
                            fastest(
                                    r[1],
                                    DetectorBenchmark.jobPath(
                                            "job, first view only",
                                            tasks,
                                            jobFirst,
                                            1,
                                            bar::stepBy));
                    r[2] =
                            fastest(
                                    r[2],
                                    DetectorBenchmark.metricStreams(
                                            "NAB streams, both views",
                                            corpus,
                                            streams,
                                            1,
                                            bar::stepBy));
                    r[3] =
                            fastest(
                                    r[3],
                                    DetectorBenchmark.metricStreams(
                                            "NAB streams, first view only",
                                            corpus,
                                            streamsFirst,
                                            1,
                                            bar::stepBy));
                }
            }
            for (DetectorBenchmark.Result x : r) {
                System.out.printf(
                        "%-30s %,10d values %8.2f us per value %8.0f bytes per detector (%d detectors)%n",
                        x.path(), x.values(), x.microsPerValue(), x.bytesPerKey(), x.keys());
            }
            System.out.printf(
                    "second view's cost: job path x%.2f time, NAB streams x%.2f time (same run)%n",
                    r[0].microsPerValue() / r[1].microsPerValue(),
                    r[2].microsPerValue() / r[3].microsPerValue());
            System.out.printf(
                    "detector: %.2f us per scored metric value, %.0f bytes of state per (workflow"
                            + " type, action type, metric) on average (job path; targets 20 us,"
                            + " 4096 bytes)%n",
                    r[0].microsPerValue(), r[0].bytesPerKey());
            return 0;
        }

        private static DetectorBenchmark.Result fastest(
                DetectorBenchmark.Result best, DetectorBenchmark.Result next) {
            return best == null || next.nanos() < best.nanos() ? next : best;
        }
    }

    /**
     * {@code bench forecast}: {@link ForecastBenchmark}, what the registered LSTM costs the
     * Forecast operator per workflow type and bucket, and the native memory it holds.
     */
    @Command(
            name = "forecast",
            mixinStandardHelpOptions = true,
            footerHeading = "%nExample:%n",
            footer = {"  ./foreshadow bench forecast --types 100 --buckets 50"},
            description =
                    "Per-type time of the Forecast operator's LSTM inference (the job's bucket, horizon and"
                            + " history) and ND4J's native memory; last line: forecast"
                            + " lstm_inference_p99_ms=.. per_type_budget_ms=5 native_mib=.. reserved_mib=..")
    static final class Forecast implements Callable<Integer> {

        /** The budget of one type's forecast per bucket (issue 11, point 5). */
        static final double BUDGET_MS = 5;

        @Option(
                names = "--types",
                defaultValue = "100",
                description =
                        "Workflow types (the busiest Azure functions; default: ${DEFAULT-VALUE}).")
        int types;

        @Option(
                names = "--buckets",
                defaultValue = "50",
                description = "Buckets timed after the warm-up one (default: ${DEFAULT-VALUE}).")
        int buckets;

        @Option(
                names = "--epochs",
                defaultValue = "1",
                description =
                        "LSTM training epochs: the time of a forecast depends on the network's shape,"
                                + " not on its training (default: ${DEFAULT-VALUE}).")
        int epochs;

        @Option(
                names = "--azure",
                paramLabel = "DIR",
                description =
                        "The Azure Functions 2019 sample folder (1000_inv.csv); default:"
                                + " shared/data/arrivals/azure_functions_2019_invitro_sample")
        Path azure;

        @Option(
                names = "--flink-conf",
                defaultValue = "flink-conf/config.yaml",
                paramLabel = "FILE",
                description =
                        "The cluster configuration that reserves ND4J's memory (default: ${DEFAULT-VALUE}).")
        Path flinkConf;

        @Override
        public Integer call() throws IOException {
            if (types < 1 || buckets < 1 || epochs < 1 || epochs > 100) {
                throw new CliException(
                        "--types and --buckets must be positive and --epochs 1..100");
            }
            if (!java.nio.file.Files.isRegularFile(flinkConf)) {
                throw new CliException("--flink-conf: no file " + flinkConf);
            }
            long reserved;
            try {
                reserved = ForecastBenchmark.reservedOffHeapMib(flinkConf);
            } catch (IllegalArgumentException e) {
                throw new CliException(e.getMessage());
            }
            ForecastSettings job =
                    ForecastSettings.from(new org.apache.flink.configuration.Configuration());
            Duration bucket = job.bucket();
            Seasons seasons = Seasons.forStep(bucket.toMillis());
            int maxHistory = seasons.historySteps();
            Path file =
                    DataDir.resolve(azure, "arrivals/azure_functions_2019_invitro_sample")
                            .resolve("1000_inv.csv");
            List<Series> series;
            try {
                series =
                        ForecastBenchmark.azureFunctions(
                                file, types, (int) bucket.toMinutes(), maxHistory + buckets);
            } catch (IllegalArgumentException e) {
                throw new CliException(e.getMessage());
            }
            // train's shape for this bucket: the seasons found from the step on the history
            List<double[]> histories = new ArrayList<>();
            series.forEach(s -> histories.add(java.util.Arrays.copyOf(s.values(), maxHistory)));
            dev.foreshadow.models.forecast.Seasons found =
                    dev.foreshadow.models.forecast.Seasons.of(bucket, null, null, histories);
            LstmConfig config =
                    LstmConfig.forSeries(job.steps(), found.season(), found.longSeason())
                            .withEpochs(epochs)
                            // training origins a season apart: the same network, trained faster
                            .withOriginStride(found.season());
            System.out.printf(
                    "bench forecast: %d types (Azure Functions 2019, busiest first), %s buckets,"
                            + " horizon %d steps, history %d steps; %s; LSTM lookback %d, hidden %d,"
                            + " %d epoch(s) over origins a season apart%n",
                    types,
                    bucket,
                    job.steps(),
                    maxHistory,
                    found.explanation(),
                    config.lookback(),
                    config.hidden(),
                    epochs);
            ForecastBenchmark.Result r;
            try (ProgressBar bar = ProgressBars.of("bench forecast", epochs + buckets, "")) {
                r = ForecastBenchmark.run(series, config, maxHistory, buckets, bar::stepBy);
            }
            int shown = Math.min(types, 10);
            System.out.printf(
                    "%-10s %10s %10s %10s %10s%n",
                    "type", "cpu_p50_us", "cpu_p99_us", "p50_us", "p99_us");
            for (int k = 0; k < shown; k++) {
                System.out.printf(
                        Locale.ROOT,
                        "%-10s %10.0f %10.0f %10.0f %10.0f%n",
                        r.types().get(k),
                        r.cpuMicros(k, 0.5),
                        r.cpuMicros(k, 0.99),
                        r.micros(k, 0.5),
                        r.micros(k, 0.99));
            }
            int worst = 0;
            for (int k = 1; k < types; k++) {
                if (r.cpuMicros(k, 0.99) > r.cpuMicros(worst, 0.99)) {
                    worst = k;
                }
            }
            if (types > shown) {
                System.out.printf("... %d more types%n", types - shown);
            }
            System.out.printf(
                    Locale.ROOT,
                    "all %d types x %d buckets: CPU p50 %.0f us, p99 %.0f us (worst type %s: p99 %.0f"
                            + " us); wall clock p50 %.0f us, p99 %.0f us (the wait for a shared core"
                            + " included); one bucket of every type %.1f ms of CPU at p50; trained in"
                            + " %.1f s%n",
                    types,
                    buckets,
                    r.cpuMicros(-1, 0.5),
                    r.cpuMicros(-1, 0.99),
                    r.types().get(worst),
                    r.cpuMicros(worst, 0.99),
                    r.micros(-1, 0.5),
                    r.micros(-1, 0.99),
                    r.cpuMicros(-1, 0.5) * types / 1000,
                    r.trainSeconds());
            System.out.printf(
                    Locale.ROOT,
                    "native memory (JavaCPP, after a collection): %.2f MiB in use, %.2f MiB before"
                            + " the registered model was read; process resident %.0f MiB%n",
                    r.nativeBytes() / 1048576.0,
                    r.nativeBeforeModelBytes() / 1048576.0,
                    r.physicalBytes() / 1048576.0);
            System.out.printf(
                    Locale.ROOT,
                    "forecast lstm_inference_p99_ms=%.3f per_type_budget_ms=%.0f native_mib=%.2f"
                            + " reserved_mib=%d wall_p99_ms=%.3f%n",
                    r.cpuMicros(-1, 0.99) / 1000,
                    BUDGET_MS,
                    r.nativeBytes() / 1048576.0,
                    reserved,
                    r.micros(-1, 0.99) / 1000);
            return 0;
        }
    }
}
