package dev.foreshadow.models.simulation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The runs a simulation replays: every run of the trace with its start time, workflow type and
 * workflow instance. A bucket's count is spread over the bucket by a seeded Poisson process (given
 * the count, the times of a Poisson process are independent and uniform over the bucket); each run
 * is one of its type's WfCommons instances, drawn uniformly. Runs are in start order.
 */
final class Workload {

    final long[] startMs;
    final int[] type;
    final int[] template;

    /** Every template once, indexed as {@link #template} refers to them. */
    final List<Template> templates;

    private Workload(List<Template> templates, long[] startMs, int[] type, int[] template) {
        this.templates = templates;
        this.startMs = startMs;
        this.type = type;
        this.template = template;
    }

    static Workload generate(ArrivalTrace trace, Template[][] templatesByType, long seed) {
        List<Template> all = new ArrayList<>();
        int[][] index = new int[templatesByType.length][];
        for (int k = 0; k < templatesByType.length; k++) {
            index[k] = new int[templatesByType[k].length];
            for (int j = 0; j < templatesByType[k].length; j++) {
                int at = all.indexOf(templatesByType[k][j]);
                if (at < 0) {
                    at = all.size();
                    all.add(templatesByType[k][j]);
                }
                index[k][j] = at;
            }
        }
        int n = (int) trace.totalRuns();
        long[] times = new long[n];
        int[] types = new int[n];
        int[] templates = new int[n];
        SplittableRandom random = new SplittableRandom(seed);
        int r = 0;
        for (int b = 0; b < trace.buckets(); b++) {
            long from = trace.bucketStartMs(b);
            for (int k = 0; k < trace.types().size(); k++) {
                int count = (int) trace.count(k, b);
                for (int i = 0; i < count; i++) {
                    times[r] = from + random.nextLong(trace.stepMs());
                    types[r] = k;
                    templates[r] = index[k][random.nextInt(index[k].length)];
                    r++;
                }
            }
        }
        // sort by time, ties by generation order, through one key array of (time, position)
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(
                order, (a, b) -> times[a] != times[b] ? Long.compare(times[a], times[b]) : a - b);
        long[] sortedTimes = new long[n];
        int[] sortedTypes = new int[n];
        int[] sortedTemplates = new int[n];
        for (int i = 0; i < n; i++) {
            sortedTimes[i] = times[order[i]];
            sortedTypes[i] = types[order[i]];
            sortedTemplates[i] = templates[order[i]];
        }
        return new Workload(List.copyOf(all), sortedTimes, sortedTypes, sortedTemplates);
    }

    /** Runs given one by one (in start order), each of one template. */
    static Workload of(List<Template> templates, long[] startMs, int[] type, int[] template) {
        for (int i = 1; i < startMs.length; i++) {
            if (startMs[i] < startMs[i - 1]) {
                throw new IllegalArgumentException("runs must be in start order");
            }
        }
        return new Workload(List.copyOf(templates), startMs, type, template);
    }

    int runs() {
        return startMs.length;
    }

    /** The index of the first run starting at or after {@code t}. */
    int firstAtOrAfter(long t) {
        int i = Arrays.binarySearch(startMs, t);
        if (i < 0) {
            return -i - 1;
        }
        while (i > 0 && startMs[i - 1] == t) {
            i--;
        }
        return i;
    }
}
