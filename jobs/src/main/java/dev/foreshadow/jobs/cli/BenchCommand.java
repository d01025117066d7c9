package dev.foreshadow.jobs.cli;

import dev.foreshadow.connectors.benchmark.SinkBenchmark;
import dev.foreshadow.jobs.bench.PipelineBenchmark;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code foreshadow bench ...}: performance measurements that print their figures. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Measure performance; prints the figures.",
        subcommands = {BenchCommand.Sink.class, BenchCommand.Pipeline.class})
final class BenchCommand {

    /** {@code bench sink}: {@link SinkBenchmark}, with a progress bar and its figures printed. */
    @Command(
            name = "sink",
            mixinStandardHelpOptions = true,
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
            try (ProgressBar bar =
                    new ProgressBarBuilder()
                            .setTaskName("bench sink")
                            .setInitialMax(2L * rows)
                            .setStyle(ProgressBarStyle.ASCII)
                            .setUnit(" rows", 1)
                            .build()) {
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
            description =
                    "ShadowJob's whole graph vs a bare Kafka -> decode -> Kafka passthrough over the same events;"
                            + " last line: pipeline/passthrough ratio=R.")
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

        @Option(
                names = "--run-dir",
                defaultValue = "target/bench/pipeline",
                description = "Folder of the stack and the clusters (default: ${DEFAULT-VALUE}).")
        Path runDir;

        @Override
        public Integer call() throws Exception {
            if (events < 1000 || parallelism < 1) {
                throw new CliException(
                        "--events must be at least 1000 and --parallelism at least 1");
            }
            System.out.printf("bench pipeline: %,d events, parallelism %d%n", events, parallelism);
            PipelineBenchmark.Result r;
            try (ProgressBar bar =
                    new ProgressBarBuilder()
                            .setTaskName("publishing")
                            .setInitialMax(events)
                            .setStyle(ProgressBarStyle.ASCII)
                            .setUnit(" events", 1)
                            .build()) {
                r =
                        new PipelineBenchmark(runDir, parallelism, System.out::println)
                                .run(events, rounds, bar::stepBy);
            }
            System.out.printf(
                    "pipeline: %,d events x %d rounds at %,.0f events/s (ShadowJob: history sink, detectors, patterns)%n",
                    r.events(), rounds, r.pipelinePerSecond());
            System.out.printf(
                    "passthrough: %,d events x %d rounds at %,.0f events/s (Kafka -> decode -> Kafka)%n",
                    r.events(), rounds, r.passthroughPerSecond());
            System.out.printf("pipeline/passthrough ratio=%.3f%n", r.ratio());
            return 0;
        }
    }
}
