package dev.foreshadow.models.anomaly.flowbench;

import dev.foreshadow.models.anomaly.ActionScorer;
import dev.foreshadow.models.domain.Metric;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntConsumer;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Replays labelled FlowBench runs (Pegasus workflows with injected CPU and disk anomalies per task;
 * PoSeiDon-Workflows FlowBench) as per-task action samples through {@link ActionScorer}, exactly as
 * the shadow job scores finished actions, and measures how well its alerts find the labelled tasks.
 *
 * <p>Input: the zips (or CSVs) under {@code DIR/data}; the workflow type is the file name up to its
 * first {@code _} or {@code .} ({@code 1000genome}, {@code somospie}); each CSV is one run, each
 * row one task with its anomaly label ({@code None}, {@code cpu_2}, {@code cpu_3}, {@code hdd_5},
 * {@code hdd_10}). The action type is the task's Pegasus transformation. Metrics: runtime
 * (durationMs), executable CPU time (cpuSeconds), stage-in and stage-out bytes
 * (networkIn/OutBytes), bytes read and written; missing cells are not scored. Samples are replayed
 * per workflow type in order of the task's execution end (its event time), across all runs.
 *
 * <p>Output: a task is flagged when any of its metrics raises an alert ({@link
 * ActionScorer.Score#alert()}). Per label L: true positives are flagged tasks labelled L, false
 * negatives unflagged tasks labelled L, false positives flagged {@code None} tasks of the runs that
 * contain L. Overall: positives are all labelled tasks, false positives all flagged {@code None}
 * tasks (normal runs included). Counted for all runs and for each side of a fixed split ({@link
 * #heldOutRuns}): designs are compared on the development runs.
 */
public final class FlowBench {

    private FlowBench() {}

    /**
     * The sample fields of one task, in the order of {@link #METRICS}; NaN when the run did not
     * record it.
     */
    public record Task(
            String workflowType,
            String runId,
            String actionType,
            String label,
            long endMs,
            double[] metrics) {}

    /** The action metrics that FlowBench records. */
    public static final List<Metric> METRICS =
            List.of(
                    Metric.DURATION_MS,
                    Metric.CPU_SECONDS,
                    Metric.NETWORK_IN_BYTES,
                    Metric.NETWORK_OUT_BYTES,
                    Metric.BYTES_READ,
                    Metric.BYTES_WRITTEN);

    /** Precision, recall and F1 of one label (or of all, {@code label = "overall"}). */
    public record Stats(String label, int positives, int tp, int fp, int fn) {
        public double precision() {
            return tp + fp == 0 ? 0 : (double) tp / (tp + fp);
        }

        public double recall() {
            return tp + fn == 0 ? 0 : (double) tp / (tp + fn);
        }

        public double f1() {
            double p = precision();
            double r = recall();
            return p + r == 0 ? 0 : 2 * p * r / (p + r);
        }
    }

    /**
     * Every task of every run under {@code dir/data}; throws {@link IllegalArgumentException} when
     * none is found.
     */
    public static List<Task> load(Path dir) {
        Path data = dir.resolve("data");
        if (!Files.isDirectory(data)) {
            throw new IllegalArgumentException("not a FlowBench folder: " + data + " is missing");
        }
        List<Task> tasks = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(data)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                String name = p.getFileName().toString();
                String type = name.split("[_.]", 2)[0];
                if (name.endsWith(".zip")) {
                    try (ZipFile zip = new ZipFile(p.toFile())) {
                        List<? extends ZipEntry> entries =
                                zip.stream()
                                        .filter(
                                                e ->
                                                        !e.isDirectory()
                                                                && e.getName().endsWith(".csv"))
                                        .sorted(Comparator.comparing(ZipEntry::getName))
                                        .toList();
                        for (ZipEntry e : entries) {
                            try (BufferedReader r =
                                    new BufferedReader(
                                            new InputStreamReader(
                                                    zip.getInputStream(e),
                                                    StandardCharsets.UTF_8))) {
                                readRun(r, type, name + "!" + e.getName(), tasks);
                            }
                        }
                    }
                } else if (name.endsWith(".csv")) {
                    try (BufferedReader r = Files.newBufferedReader(p)) {
                        readRun(r, type, data.relativize(p).toString(), tasks);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("no FlowBench runs (zip or csv) under " + data);
        }
        return tasks;
    }

    /**
     * Precision, recall and F1 per label (sorted by name, then {@code overall}) of all runs, of the
     * development runs and of the held-out runs ({@link #heldOut(String)}).
     */
    public record Evaluation(List<Stats> all, List<Stats> development, List<Stats> heldOut) {}

    /**
     * Whether a run is held out of development: in every folder of runs (a zip's folder, named by
     * the run id up to its file name), every second run in name order (the 2nd, 4th, ...), the rule
     * of {@code NabCorpus.heldOut}. Fixed before the per-sample detector was tuned on the other
     * runs; {@code heldOutRuns} holds the held-out run ids of {@code tasks}.
     */
    public static Set<String> heldOutRuns(List<Task> tasks) {
        Map<String, List<String>> byFolder = new TreeMap<>();
        tasks.stream()
                .map(Task::runId)
                .distinct()
                .forEach(
                        run ->
                                byFolder.computeIfAbsent(folder(run), k -> new ArrayList<>())
                                        .add(run));
        Set<String> held = new HashSet<>();
        for (List<String> runs : byFolder.values()) {
            runs.sort(Comparator.naturalOrder());
            for (int i = 1; i < runs.size(); i += 2) {
                held.add(runs.get(i));
            }
        }
        return held;
    }

    private static String folder(String runId) {
        int cut = Math.max(runId.lastIndexOf('/'), runId.lastIndexOf('!'));
        return cut < 0 ? "" : runId.substring(0, cut);
    }

    /**
     * Replays {@code tasks} through a fresh {@link ActionScorer} and returns the stats per label
     * (sorted by name) then {@code overall} last, for all runs and for each side of the split; a
     * task is flagged when a metric alerts by {@code rule}; {@code progress} receives 1 per task.
     * The replay covers every run (the scorer never sees a label), so the split only chooses which
     * tasks are counted.
     */
    public static Evaluation evaluate(
            List<Task> tasks, ActionScorer.AlertRule rule, IntConsumer progress) {
        return evaluate(tasks, new ActionScorer(rule), progress);
    }

    /** As {@link #evaluate(List, ActionScorer.AlertRule, IntConsumer)} with {@code scorer}. */
    public static Evaluation evaluate(List<Task> tasks, ActionScorer scorer, IntConsumer progress) {
        List<Task> ordered = new ArrayList<>(tasks);
        ordered.sort(Comparator.comparing(Task::workflowType).thenComparingLong(Task::endMs));
        Map<Task, Boolean> flagged = new HashMap<>();
        for (Task t : ordered) {
            boolean alert = false;
            for (int m = 0; m < METRICS.size(); m++) {
                double v = t.metrics()[m];
                if (!Double.isNaN(v)) {
                    alert |=
                            scorer.score(
                                            t.workflowType(),
                                            t.actionType(),
                                            METRICS.get(m),
                                            v,
                                            t.endMs())
                                    .alert();
                }
            }
            flagged.put(t, alert);
            progress.accept(1);
        }
        Set<String> held = heldOutRuns(tasks);
        return new Evaluation(
                stats(ordered, flagged),
                stats(ordered.stream().filter(t -> !held.contains(t.runId())).toList(), flagged),
                stats(ordered.stream().filter(t -> held.contains(t.runId())).toList(), flagged));
    }

    private static List<Stats> stats(List<Task> tasks, Map<Task, Boolean> flagged) {
        Map<String, Set<String>> runsWithLabel = new HashMap<>();
        for (Task t : tasks) {
            runsWithLabel.computeIfAbsent(t.label(), k -> new HashSet<>()).add(t.runId());
        }
        Map<String, int[]> perLabel = new TreeMap<>(); // positives, tp, fp, fn
        int[] overall = new int[4];
        for (Task t : tasks) {
            boolean f = flagged.get(t);
            if (t.label().equals("None")) {
                if (f) {
                    overall[2]++;
                }
                continue;
            }
            int[] c = perLabel.computeIfAbsent(t.label(), k -> new int[4]);
            for (int[] x : new int[][] {c, overall}) {
                x[0]++;
                x[f ? 1 : 3]++;
            }
        }
        for (Task t : tasks) {
            if (t.label().equals("None") && flagged.get(t)) {
                for (Map.Entry<String, int[]> e : perLabel.entrySet()) {
                    if (runsWithLabel.get(e.getKey()).contains(t.runId())) {
                        e.getValue()[2]++;
                    }
                }
            }
        }
        List<Stats> out = new ArrayList<>();
        perLabel.forEach((label, c) -> out.add(new Stats(label, c[0], c[1], c[2], c[3])));
        out.add(new Stats("overall", overall[0], overall[1], overall[2], overall[3]));
        return out;
    }

    private static void readRun(BufferedReader r, String type, String runId, List<Task> tasks)
            throws IOException {
        String headerLine = r.readLine();
        if (headerLine == null) {
            return;
        }
        List<String> header = splitCsv(headerLine);
        Map<String, Integer> col = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            col.put(header.get(i), i);
        }
        for (String required : List.of("anomaly_type", "execute_end", "runtime")) {
            if (!col.containsKey(required)) {
                throw new IllegalArgumentException(runId + ": no column " + required);
            }
        }
        String line;
        while ((line = r.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            List<String> cells = splitCsv(line);
            double end = number(cells, col.get("execute_end"));
            if (Double.isNaN(end)) {
                continue;
            }
            String transformation = cell(cells, col.getOrDefault("kickstart_transformations", -1));
            String action =
                    !transformation.isEmpty()
                            ? transformation
                            : cell(cells, col.getOrDefault("", 0)).replaceAll("_ID\\d+$", "");
            double[] metrics = {
                number(cells, col.get("runtime")) * 1000,
                number(cells, col.getOrDefault("kickstart_executables_cpu_time", -1)),
                number(cells, col.getOrDefault("stage_in_bytes", -1)),
                number(cells, col.getOrDefault("stage_out_bytes", -1)),
                number(cells, col.getOrDefault("kickstart_online_bytes_read", -1)),
                number(cells, col.getOrDefault("kickstart_online_bytes_written", -1))
            };
            tasks.add(
                    new Task(
                            type,
                            runId,
                            action,
                            cell(cells, col.get("anomaly_type")),
                            (long) (end * 1000),
                            metrics));
        }
    }

    private static String cell(List<String> cells, int i) {
        return i >= 0 && i < cells.size() ? cells.get(i).trim() : "";
    }

    private static double number(List<String> cells, int i) {
        String s = cell(cells, i);
        if (s.isEmpty()) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** Splits one CSV line (RFC 4180 quoting, no embedded newlines). */
    static List<String> splitCsv(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                cells.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        cells.add(cur.toString());
        return cells;
    }
}
