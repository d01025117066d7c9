package dev.foreshadow.connectors.benchmark;

import dev.foreshadow.connectors.embedded.EmbeddedDatabase;
import dev.foreshadow.connectors.history.HistoryTables;
import dev.foreshadow.connectors.history.HistoryWriter;
import dev.foreshadow.connectors.history.Migrations;
import dev.foreshadow.connectors.history.PostgresSettings;
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
import java.util.function.LongConsumer;
import org.postgresql.PGConnection;

/**
 * The history sink against raw COPY, in one run on one embedded PostgreSQL: the same rows go
 * through the sink's writer (partitions ensured, idempotence), logged in as the job's role {@code
 * foreshadow_writer} (so through its staging table, row-level security applying), into {@code
 * action_samples} and with plain COPY by the owner into an identical table (same partitions and
 * indexes, no row-level security). The two alternate in rounds, so machine noise hits both.
 */
public final class SinkBenchmark {

    /** The time each path took for the same rows. */
    public record Result(long rows, long sinkNanos, long copyNanos) {
        public double sinkRowsPerSecond() {
            return rows / (sinkNanos / 1e9);
        }

        public double copyRowsPerSecond() {
            return rows / (copyNanos / 1e9);
        }

        public double ratio() {
            return sinkRowsPerSecond() / copyRowsPerSecond();
        }
    }

    private SinkBenchmark() {}

    /**
     * Loads {@code rows} samples per path in batches of {@code batch}, over {@code rounds}
     * alternating rounds, into a database under {@code runDir}; {@code progress} receives the rows
     * written.
     */
    public static Result run(int rows, int batch, int rounds, Path runDir, LongConsumer progress)
            throws Exception {
        if (rows < 1 || batch < 1 || rounds < 1 || rows < rounds) {
            throw new IllegalArgumentException(
                    "--rows, --batch and --rounds must be positive, and --rows at least --rounds");
        }
        try (EmbeddedDatabase db = EmbeddedDatabase.start(runDir.toAbsolutePath())) {
            try (Connection c = db.settings().connect();
                    Statement s = c.createStatement()) {
                Migrations.apply(c);
                s.execute(
                        "CREATE TABLE bench_copy (LIKE action_samples INCLUDING ALL) PARTITION BY RANGE (time)");
                s.execute("ALTER TABLE bench_copy OWNER TO foreshadow_admin");
                s.execute("INSERT INTO fs_history_tables VALUES ('bench_copy', 'time')");
                s.execute(
                        "SELECT fs_ensure_partitions('bench_copy', current_date - 10, current_date + 1)");
                s.execute("CREATE ROLE bench_job LOGIN IN ROLE foreshadow_writer");
                s.execute(
                        "SELECT fs_ensure_partitions('action_samples', current_date - 10, current_date + 1)");
            }
            long sinkNanos = 0;
            long copyNanos = 0;
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            try (HistoryWriter<ActionSample> writer =
                            new HistoryWriter<>(
                                    new PostgresSettings(db.jdbcUrl(), "bench_job", null),
                                    HistoryTables.ACTION_SAMPLES);
                    Connection raw = db.settings().connect()) {
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
                    progress.accept(n);

                    long t1 = System.nanoTime();
                    for (int from = 0; from < n; from += batch) {
                        byte[] text =
                                HistoryTables.ACTION_SAMPLES.copyText(
                                        samples.subList(from, Math.min(n, from + batch)));
                        copy.copyIn(copySql, new ByteArrayInputStream(text), 1 << 16);
                    }
                    copyNanos += System.nanoTime() - t1;
                    progress.accept(n);
                }
            }
            return new Result(rows, sinkNanos, copyNanos);
        }
    }

    /** Deterministic action samples spread over the last week, unique per round. */
    static List<ActionSample> samples(int n, int round, Instant now) {
        SplittableRandom r = new SplittableRandom(round);
        List<ActionSample> out = new ArrayList<>(n);
        String[] types = {"order-fulfilment", "checkout", "etl-nightly", "report"};
        String[] actions = {"charge-card", "reserve-stock", "ship", "extract", "load", "render"};
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
