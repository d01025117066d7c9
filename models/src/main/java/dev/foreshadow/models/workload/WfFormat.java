package dev.foreshadow.models.workload;

import dev.foreshadow.models.json.MiniJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads WfCommons workflow instances (WfFormat 1.5 JSON, https://github.com/wfcommons/WfFormat):
 * the DAG from {@code workflow.specification} (tasks with parents, files with sizes) and what each
 * task used from {@code workflow.execution} (runtime, average CPU, cores, memory, bytes). Input: a
 * file's name and bytes, or a folder searched recursively for {@code *.json}; output: {@link
 * WfWorkflow}s with their tasks in topological order (Kahn's algorithm). Rejects a file that is not
 * JSON, not WfFormat, or whose graph has a cycle, naming the file.
 */
public final class WfFormat {

    private WfFormat() {}

    /** Every WfFormat file (*.json) under {@code dir}, recursively, in path order. */
    public static List<WfWorkflow> read(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + " is not a directory");
        }
        List<WfWorkflow> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                out.add(parse(f.getFileName().toString(), Files.readAllBytes(f)));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(dir + " holds no WfFormat .json file");
        }
        return out;
    }

    /** The workflow a file is an instance of: its name up to {@code -chameleon}, without .json. */
    public static String workflowName(String fileName) {
        return fileName.replaceAll("\\.json$", "").replaceAll("-chameleon.*$", "");
    }

    public static WfWorkflow parse(String fileName, byte[] json) {
        Object root;
        try {
            root = MiniJson.parse(new String(json, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(fileName + " is not JSON: " + e.getMessage());
        }
        Map<?, ?> workflow = map(map(root).get("workflow"));
        Map<?, ?> spec = map(workflow.get("specification"));
        Map<?, ?> exec = map(workflow.get("execution"));
        if (!(spec.get("tasks") instanceof List<?> specTasks)
                || !(exec.get("tasks") instanceof List<?> execTasks)) {
            throw new IllegalArgumentException(
                    fileName
                            + " is not a WfFormat 1.5 instance (no workflow.specification.tasks"
                            + " or workflow.execution.tasks)");
        }
        Map<String, Long> fileSizes = new HashMap<>();
        for (Object f : list(spec.get("files"))) {
            fileSizes.put(text(map(f).get("id"), ""), whole(map(f).get("sizeInBytes"), 0));
        }
        Map<String, Map<?, ?>> runs = new HashMap<>();
        for (Object t : execTasks) {
            runs.put(text(map(t).get("id"), ""), map(t));
        }
        Map<String, WfTask> tasks = new LinkedHashMap<>();
        for (Object o : specTasks) {
            Map<?, ?> t = map(o);
            String id = text(t.get("id"), "");
            Map<?, ?> run = runs.getOrDefault(id, Map.of());
            List<String> parents = new ArrayList<>();
            for (Object p : list(t.get("parents"))) {
                parents.add(text(p, ""));
            }
            long in = 0;
            long out = 0;
            for (Object f : list(t.get("inputFiles"))) {
                in += fileSizes.getOrDefault(text(f, ""), 0L);
            }
            for (Object f : list(t.get("outputFiles"))) {
                out += fileSizes.getOrDefault(text(f, ""), 0L);
            }
            String program = text(map(run.get("command")).get("program"), "");
            String actionType = program.isEmpty() ? id.replaceAll("_(ID)?\\d+$", "") : program;
            tasks.put(
                    id,
                    new WfTask(
                            id,
                            actionType,
                            parents,
                            Math.max(0.01, number(run.get("runtimeInSeconds"), 1)),
                            number(run.get("avgCPU"), 100),
                            (int) whole(run.get("coreCount"), 0),
                            whole(run.get("memoryInBytes"), 0),
                            whole(run.get("readBytes"), in),
                            whole(run.get("writtenBytes"), out),
                            in,
                            out));
        }
        return new WfWorkflow(workflowName(fileName), fileName, topologicalOrder(fileName, tasks));
    }

    /**
     * Kahn's algorithm (Kahn, "Topological sorting of large networks", CACM 5(11), 1962); parents
     * missing from the instance are ignored.
     */
    private static List<WfTask> topologicalOrder(String fileName, Map<String, WfTask> tasks) {
        Map<String, Integer> waiting = new HashMap<>();
        Map<String, List<String>> children = new HashMap<>();
        for (WfTask t : tasks.values()) {
            waiting.put(t.id(), (int) t.parents().stream().filter(tasks::containsKey).count());
            for (String p : t.parents()) {
                children.computeIfAbsent(p, k -> new ArrayList<>()).add(t.id());
            }
        }
        Deque<String> ready = new ArrayDeque<>();
        waiting.forEach(
                (id, n) -> {
                    if (n == 0) {
                        ready.add(id);
                    }
                });
        List<WfTask> order = new ArrayList<>();
        while (!ready.isEmpty()) {
            String id = ready.poll();
            order.add(tasks.get(id));
            for (String c : children.getOrDefault(id, List.of())) {
                if (waiting.merge(c, -1, Integer::sum) == 0) {
                    ready.add(c);
                }
            }
        }
        if (order.size() != tasks.size()) {
            throw new IllegalArgumentException(fileName + ": the task graph has a cycle");
        }
        return order;
    }

    private static Map<?, ?> map(Object o) {
        return o instanceof Map<?, ?> m ? m : Map.of();
    }

    private static List<?> list(Object o) {
        return o instanceof List<?> l ? l : List.of();
    }

    private static String text(Object o, String otherwise) {
        return o == null ? otherwise : o instanceof Double d ? number(d) : o.toString();
    }

    private static String number(Double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15
                ? Long.toString(d.longValue())
                : d.toString();
    }

    private static double number(Object o, double otherwise) {
        return o instanceof Double d ? d : otherwise;
    }

    private static long whole(Object o, long otherwise) {
        return o instanceof Double d ? d.longValue() : otherwise;
    }
}
