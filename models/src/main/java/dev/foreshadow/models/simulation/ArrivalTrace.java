package dev.foreshadow.models.simulation;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Runs started per workflow type per time bucket, read from a CSV {@code
 * timestamp,workflow_type[,count]} (a header line, ISO-8601 instants; a row without a count is one
 * run; buckets without a row had none). The bucket length is the smallest gap between distinct
 * timestamps. Input: the file; output: the types in sorted order and their counts on one grid of
 * buckets. A malformed line is rejected with its number and what was wrong.
 */
public final class ArrivalTrace {

    private final List<String> types;
    private final long firstBucketMs;
    private final long stepMs;
    private final double[][] counts;

    ArrivalTrace(List<String> types, long firstBucketMs, long stepMs, double[][] counts) {
        this.types = List.copyOf(types);
        this.firstBucketMs = firstBucketMs;
        this.stepMs = stepMs;
        this.counts = counts;
    }

    public static ArrivalTrace read(Path file) throws IOException {
        TreeMap<String, TreeMap<Long, Double>> byType = new TreeMap<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null || !header.strip().startsWith("timestamp,workflow_type")) {
                throw new IllegalArgumentException(
                        file
                                + ": the first line must be the header timestamp,workflow_type[,count]");
            }
            String line;
            int number = 1;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(",", -1);
                if (f.length < 2 || f.length > 3 || f[1].isBlank()) {
                    throw bad(file, number, "expected timestamp,workflow_type[,count]");
                }
                long t;
                try {
                    t = Instant.parse(f[0].strip()).toEpochMilli();
                } catch (DateTimeParseException e) {
                    throw bad(file, number, "timestamp " + f[0] + " is not an ISO-8601 instant");
                }
                double count = 1;
                if (f.length == 3) {
                    try {
                        count = Double.parseDouble(f[2].strip());
                    } catch (NumberFormatException e) {
                        throw bad(file, number, "count " + f[2] + " is not a number");
                    }
                    if (!(count >= 0) || count != Math.rint(count) || count > 1e7) {
                        throw bad(file, number, "count " + f[2] + " is not a whole number >= 0");
                    }
                }
                byType.computeIfAbsent(f[1].strip(), k -> new TreeMap<>())
                        .merge(t, count, Double::sum);
            }
        }
        if (byType.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no arrivals");
        }
        TreeMap<Long, Boolean> times = new TreeMap<>();
        byType.values().forEach(m -> m.keySet().forEach(t -> times.put(t, true)));
        long first = times.firstKey();
        long step = Long.MAX_VALUE;
        Long previous = null;
        for (long t : times.keySet()) {
            if (previous != null) {
                step = Math.min(step, t - previous);
            }
            previous = t;
        }
        if (step == Long.MAX_VALUE) {
            step = 60_000;
        }
        int buckets = (int) ((times.lastKey() - first) / step) + 1;
        List<String> types = new ArrayList<>(byType.keySet());
        double[][] counts = new double[types.size()][buckets];
        for (int k = 0; k < types.size(); k++) {
            for (var e : byType.get(types.get(k)).entrySet()) {
                long offset = e.getKey() - first;
                if (offset % step != 0) {
                    throw new IllegalArgumentException(
                            file
                                    + ": timestamp "
                                    + Instant.ofEpochMilli(e.getKey())
                                    + " is not on the grid of "
                                    + step / 1000
                                    + " s buckets");
                }
                counts[k][(int) (offset / step)] += e.getValue();
            }
        }
        return new ArrivalTrace(types, first, step, counts);
    }

    private static IllegalArgumentException bad(Path file, int line, String what) {
        return new IllegalArgumentException(file + " line " + line + ": " + what);
    }

    public List<String> types() {
        return types;
    }

    public long firstBucketMs() {
        return firstBucketMs;
    }

    public long stepMs() {
        return stepMs;
    }

    public int buckets() {
        return counts[0].length;
    }

    /** Runs of type {@code k} started in bucket {@code b}. */
    double count(int k, int b) {
        return counts[k][b];
    }

    /** The counts of type {@code k} in buckets {@code [0, end)}. */
    double[] history(int k, int end) {
        return java.util.Arrays.copyOf(counts[k], end);
    }

    long bucketStartMs(int b) {
        return firstBucketMs + b * stepMs;
    }

    /** The trace's end: the end of its last bucket. */
    long endMs() {
        return bucketStartMs(buckets());
    }

    public long totalRuns() {
        long sum = 0;
        for (double[] row : counts) {
            for (double c : row) {
                sum += (long) c;
            }
        }
        return sum;
    }
}
