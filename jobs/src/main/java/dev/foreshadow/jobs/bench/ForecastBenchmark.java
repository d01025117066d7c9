package dev.foreshadow.jobs.bench;

import dev.foreshadow.models.forecast.ForecastModel;
import dev.foreshadow.models.forecast.GlobalLstm;
import dev.foreshadow.models.forecast.LstmConfig;
import dev.foreshadow.models.forecast.ModelArtifacts;
import dev.foreshadow.models.forecast.Series;
import java.io.BufferedReader;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.javacpp.Pointer;

/**
 * What the registered global LSTM costs the Forecast operator per bucket: a network of the job's
 * shape is trained on {@code types} arrival series, written and read back as the registry stores it
 * ({@link ModelArtifacts}, as {@code RegisteredModels} loads it), and then, bucket after bucket,
 * every type is forecast once as {@code RegisteredForecaster} does it (the last {@code maxHistory}
 * steps of the type's history copied into a series, one {@link ForecastModel#forecast} call), each
 * call timed on its own. The first forecast of every type is a warm-up and is not counted.
 *
 * <p>In: the series (values per bucket, each at least {@code maxHistory + buckets} long), the
 * network's configuration. Out: every timed call's nanoseconds (wall clock and the thread's CPU
 * time), and the native (off-heap) bytes JavaCPP holds for ND4J after the run.
 */
public final class ForecastBenchmark {

    /** The timed calls, per type in bucket order, and the native memory after the run. */
    public record Result(
            List<String> types,
            long[][] nanos,
            long[][] cpuNanos,
            long nativeBytes,
            long physicalBytes,
            long nativeBeforeModelBytes,
            double trainSeconds) {

        /**
         * The {@code q} quantile (0..1) of one type's calls' wall-clock time, or of all calls' when
         * {@code type < 0}.
         */
        public double micros(int type, double q) {
            return quantile(nanos, type, q);
        }

        /**
         * The same of the calls' thread CPU time: what a call costs when its core is not shared
         * (wall-clock time on a loaded machine adds the time the thread waited for a core).
         */
        public double cpuMicros(int type, double q) {
            return quantile(cpuNanos, type, q);
        }

        private static double quantile(long[][] nanos, int type, double q) {
            long[] all =
                    type >= 0
                            ? nanos[type].clone()
                            : Arrays.stream(nanos).flatMapToLong(Arrays::stream).toArray();
            Arrays.sort(all);
            int i = (int) Math.min(all.length - 1, Math.ceil(q * all.length) - 1);
            return all[Math.max(0, i)] / 1000.0;
        }
    }

    private ForecastBenchmark() {}

    /**
     * Trains the LSTM on the first {@code maxHistory} values of each series, then times {@code
     * buckets} buckets of forecasts from the origins that follow; {@code progress} is told each
     * epoch and each bucket.
     */
    public static Result run(
            List<Series> series,
            LstmConfig config,
            int maxHistory,
            int buckets,
            IntConsumer progress) {
        long started = System.nanoTime();
        List<Series> training = new ArrayList<>();
        for (Series s : series) {
            training.add(Series.of(s.id(), Arrays.copyOf(s.values(), maxHistory)));
        }
        byte[] artifact =
                ModelArtifacts.write(
                        GlobalLstm.train(training, 0, config, e -> progress.accept(1)));
        double trainSeconds = (System.nanoTime() - started) / 1e9;
        long before = nativeBytesAfterGc();
        ForecastModel model = ModelArtifacts.read(artifact, null);
        int horizon = config.horizon();
        long[][] nanos = new long[series.size()][buckets];
        long[][] cpuNanos = new long[series.size()][buckets];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int b = -1; b < buckets; b++) {
            for (int k = 0; k < series.size(); k++) {
                double[] history = series.get(k).values();
                int end = maxHistory + Math.max(b, 0);
                long c0 = threads.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                // RegisteredForecaster's path: the newest maxHistory steps, one forecast call
                int n = Math.min(end, maxHistory);
                Series s = Series.of(series.get(k).id(), Arrays.copyOfRange(history, end - n, end));
                model.forecast(s, n, horizon);
                long t1 = System.nanoTime();
                long c1 = threads.getCurrentThreadCpuTime();
                if (b >= 0) {
                    nanos[k][b] = t1 - t0;
                    cpuNanos[k][b] = c1 - c0;
                }
            }
            if (b >= 0) {
                progress.accept(1);
            }
        }
        List<String> types = series.stream().map(Series::id).toList();
        long physical = Pointer.physicalBytes();
        return new Result(
                types, nanos, cpuNanos, nativeBytesAfterGc(), physical, before, trainSeconds);
    }

    /** JavaCPP's count of native bytes allocated and not yet freed, after a collection. */
    private static long nativeBytesAfterGc() {
        System.gc();
        try {
            Thread.sleep(200); // JavaCPP frees unreachable buffers on its deallocator thread
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Pointer.totalBytes();
    }

    /**
     * The {@code types} busiest functions of the Azure Functions 2019 one-day sample ({@code
     * 1000_inv.csv}: a row per function, then 1,440 per-minute invocation counts), summed into
     * steps of {@code stepMinutes}, the day repeated to {@code length} steps (the trace holds one
     * nominal day; the job's history is weeks long).
     */
    public static List<Series> azureFunctions(Path file, int types, int stepMinutes, int length)
            throws IOException {
        record Row(String id, double[] minutes, double total) {}
        List<Row> rows = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file)) {
            String header = in.readLine();
            if (header == null || !header.startsWith("HashFunction,")) {
                throw new IllegalArgumentException(
                        file + ": not the invitro sample (no HashFunction header)");
            }
            String line;
            int row = 1;
            while ((line = in.readLine()) != null) {
                row++;
                String[] cells = line.split(",");
                if (cells.length != 3 + 1440) {
                    throw new IllegalArgumentException(
                            file + " line " + row + ": " + cells.length + " cells, not 1443");
                }
                double[] minutes = new double[1440];
                double total = 0;
                for (int m = 0; m < 1440; m++) {
                    try {
                        minutes[m] = Double.parseDouble(cells[3 + m]);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException(
                                file + " line " + row + ": minute_" + (m + 1) + " is not a number");
                    }
                    total += minutes[m];
                }
                rows.add(new Row(String.format("fn%04d", row - 1), minutes, total));
            }
        }
        if (rows.size() < types) {
            throw new IllegalArgumentException(
                    file + " holds " + rows.size() + " functions, fewer than " + types);
        }
        rows.sort(Comparator.comparingDouble(Row::total).reversed());
        int perDay = 1440 / stepMinutes;
        List<Series> out = new ArrayList<>();
        for (Row r : rows.subList(0, types)) {
            double[] day = new double[perDay];
            for (int m = 0; m < 1440; m++) {
                day[m / stepMinutes] += r.minutes()[m];
            }
            double[] values = new double[length];
            for (int t = 0; t < length; t++) {
                values[t] = day[t % perDay];
            }
            out.add(Series.of(r.id(), values));
        }
        return out;
    }

    /**
     * The off-heap size the TaskManager reserves ({@code taskmanager.memory.task.off-heap.size} in
     * {@code flink-conf/config.yaml}), in MiB.
     */
    public static long reservedOffHeapMib(Path flinkConf) throws IOException {
        Matcher m =
                Pattern.compile("off-heap:\\s*\\n\\s*size:\\s*(\\d+)\\s*([mMgG])")
                        .matcher(Files.readString(flinkConf));
        if (!m.find()) {
            throw new IllegalArgumentException(
                    flinkConf + " sets no taskmanager.memory.task.off-heap.size");
        }
        long size = Long.parseLong(m.group(1));
        return m.group(2).equalsIgnoreCase("g") ? size * 1024 : size;
    }
}
