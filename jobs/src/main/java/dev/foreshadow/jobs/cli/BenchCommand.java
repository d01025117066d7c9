package dev.foreshadow.jobs.cli;

import dev.foreshadow.connectors.embedded.EmbeddedDatabase;
import dev.foreshadow.connectors.history.HistoryTables;
import dev.foreshadow.connectors.history.HistoryWriter;
import dev.foreshadow.connectors.history.Migrations;
import dev.foreshadow.connectors.records.ActionSample;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.postgresql.PGConnection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code foreshadow bench ...}: performance measurements that print their figures. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Measure performance; prints the figures.",
        subcommands = BenchCommand.Sink.class)
final class BenchCommand {

    /**
     * The history sink against raw COPY, in one run on one embedded PostgreSQL: the same rows go
     * through the sink's writer (partitions ensured, savepoint, idempotence) into {@code
     * action_samples} and with plain COPY into an identical table (same partitions and indexes).
     * The two alternate in rounds, so machine noise hits both.
     */
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
            try (EmbeddedDatabase db = EmbeddedDatabase.start(runDir.toAbsolutePath())) {
                try (Connection c = db.settings().connect();
                        Statement s = c.createStatement()) {
                    Migrations.apply(c);
                    s.execute(
                            "CREATE TABLE bench_copy (LIKE action_samples INCLUDING ALL) PARTITION BY RANGE (time)");
                    s.execute(
                            "SELECT fs_ensure_partitions('bench_copy', current_date - 10, current_date + 1)");
                    s.execute(
                            "SELECT fs_ensure_partitions('action_samples', current_date - 10, current_date + 1)");
                }
                long sinkNanos = 0;
                long copyNanos = 0;
                Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
                try (HistoryWriter<ActionSample> writer =
                                new HistoryWriter<>(db.settings(), HistoryTables.ACTION_SAMPLES);
                        Connection raw = db.settings().connect();
                        ProgressBar bar =
                                new ProgressBarBuilder()
                                        .setTaskName("bench sink")
                                        .setInitialMax(2L * rows)
                                        .setStyle(ProgressBarStyle.ASCII)
                                        .setUnit(" rows", 1)
                                        .build()) {
                    var copy = raw.unwrap(PGConnection.class).getCopyAPI();
                    String copySql = HistoryTables.ACTION_SAMPLES.copySql("bench_copy");
                    int perRound = rows / rounds;
                    for (int round = 0; round < rounds; round++) {
                        int n = round == rounds - 1 ? rows - perRound * (rounds - 1) : perRound;
                        List<ActionSample> samples = samples(n, round, now);

                        long t0 = System.nanoTime();
                        for (int i = 0; i < n; i++) {
                            writer.add(samples.get(i));
                            if (writer.pending() >= batch) {
                                writer.flush();
                            }
                        }
                        writer.flush();
                        sinkNanos += System.nanoTime() - t0;
                        bar.stepBy(n);

                        long t1 = System.nanoTime();
                        for (int from = 0; from < n; from += batch) {
                            byte[] text =
                                    HistoryTables.ACTION_SAMPLES.copyText(
                                            samples.subList(from, Math.min(n, from + batch)));
                            copy.copyIn(copySql, new ByteArrayInputStream(text), 1 << 16);
                        }
                        copyNanos += System.nanoTime() - t1;
                        bar.stepBy(n);
                    }
                }
                double sinkRate = rows / (sinkNanos / 1e9);
                double copyRate = rows / (copyNanos / 1e9);
                System.out.printf(
                        "sink: %,d rows in %.2f s = %,.0f rows/s (HistoryWriter: COPY, partitions, idempotent fallback)%n",
                        rows, sinkNanos / 1e9, sinkRate);
                System.out.printf(
                        "copy: %,d rows in %.2f s = %,.0f rows/s (raw COPY into an identical table)%n",
                        rows, copyNanos / 1e9, copyRate);
                System.out.printf("sink/copy ratio=%.3f%n", sinkRate / copyRate);
            }
            return 0;
        }

        /** Deterministic action samples spread over the last week, unique per round. */
        private static List<ActionSample> samples(int n, int round, Instant now) {
            SplittableRandom r = new SplittableRandom(round);
            List<ActionSample> out = new ArrayList<>(n);
            String[] types = {"order-fulfilment", "checkout", "etl-nightly", "report"};
            String[] actions = {
                "charge-card", "reserve-stock", "ship", "extract", "load", "render"
            };
            for (int i = 0; i < n; i++) {
                Instant t = now.minusMillis(r.nextLong(Duration.ofDays(7).toMillis()));
                long d = 50 + r.nextLong(5000);
                out.add(
                        new ActionSample(
                                "bench-" + round + "-" + i,
                                t,
                                t.minusMillis(d),
                                "shop",
                                types[i % types.length],
                                "run-" + round + "-" + (i / 8),
                                actions[i % actions.length],
                                "act-" + round + "-" + i,
                                r.nextInt(100) == 0,
                                1,
                                d,
                                d / 1000.0 * r.nextDouble(),
                                r.nextDouble() * 4,
                                r.nextLong(1L << 32),
                                r.nextLong(1 << 20),
                                r.nextLong(1 << 20),
                                r.nextLong(1 << 24),
                                r.nextLong(1 << 24),
                                "TLS1.3",
                                i % 5 == 0 ? List.of("PCI-DSS") : List.of(),
                                r.nextDouble() / 1000,
                                "USD",
                                true,
                                Map.of("region", i % 2 == 0 ? "eu-west-1" : "us-east-1")));
            }
            return out;
        }
    }
}
