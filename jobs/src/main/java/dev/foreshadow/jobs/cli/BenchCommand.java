package dev.foreshadow.jobs.cli;

import dev.foreshadow.connectors.benchmark.SinkBenchmark;
import dev.foreshadow.jobs.common.ProgressBars;
import java.nio.file.Path;
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
        subcommands = BenchCommand.Sink.class)
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
}
