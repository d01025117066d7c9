package dev.foreshadow.jobs.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.foreshadow.connectors.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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
 * Workflow templates read from WfCommons traces (WfFormat 1.5 JSON: the DAG in {@code
 * workflow.specification}, the measured runtime, CPU, memory and bytes of each task in {@code
 * workflow.execution}). Each file is one workflow type, named after the file ({@code
 * srasearch-chameleon-10a-001.json} is {@code srasearch}); a task's action type is the program it
 * ran.
 */
final class WfTrace {

    static final String BUNDLED = "/trace/wfcommons/";

    /** One task of a template, with what it used when it really ran. */
    record Task(
            String id,
            String actionType,
            List<String> parents,
            double runtimeSeconds,
            double avgCpuPercent,
            long memoryBytes,
            long readBytes,
            long writtenBytes,
            long inputBytes,
            long outputBytes) {}

    /** One workflow type: its tasks in an order where every parent comes before its children. */
    record Template(String workflowType, List<Task> tasks) {}

    private WfTrace() {}

    /** The trace committed in the repository (four real executions). */
    static List<Template> bundled() {
        List<Template> out = new ArrayList<>();
        for (String file :
                resource(BUNDLED + "index.txt")
                        .lines()
                        .map(String::strip)
                        .filter(l -> !l.isEmpty())
                        .toList()) {
            out.add(parse(file, resource(BUNDLED + file).getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    /** Every WfFormat file (*.json) under {@code dir}, recursively. */
    static List<Template> read(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--trace " + dir + " is not a directory");
        }
        List<Template> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                out.add(parse(f.getFileName().toString(), Files.readAllBytes(f)));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("--trace " + dir + " holds no WfFormat .json file");
        }
        return out;
    }

    static Template parse(String fileName, byte[] json) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(fileName + " is not JSON: " + e.getMessage());
        }
        JsonNode spec = root.path("workflow").path("specification");
        JsonNode exec = root.path("workflow").path("execution");
        if (!spec.path("tasks").isArray() || !exec.path("tasks").isArray()) {
            throw new IllegalArgumentException(
                    fileName
                            + " is not a WfFormat 1.5 instance (no workflow.specification.tasks"
                            + " or workflow.execution.tasks)");
        }
        Map<String, Long> fileSizes = new HashMap<>();
        spec.path("files")
                .forEach(
                        f -> fileSizes.put(f.path("id").asText(), f.path("sizeInBytes").asLong(0)));
        Map<String, JsonNode> runs = new HashMap<>();
        exec.path("tasks").forEach(t -> runs.put(t.path("id").asText(), t));

        Map<String, Task> tasks = new LinkedHashMap<>();
        for (JsonNode t : spec.path("tasks")) {
            String id = t.path("id").asText();
            JsonNode run = runs.getOrDefault(id, Json.MAPPER.createObjectNode());
            List<String> parents = new ArrayList<>();
            t.path("parents").forEach(p -> parents.add(p.asText()));
            long in = 0;
            long out = 0;
            for (JsonNode f : t.path("inputFiles")) {
                in += fileSizes.getOrDefault(f.asText(), 0L);
            }
            for (JsonNode f : t.path("outputFiles")) {
                out += fileSizes.getOrDefault(f.asText(), 0L);
            }
            String program = run.path("command").path("program").asText("");
            String actionType = program.isEmpty() ? id.replaceAll("_(ID)?\\d+$", "") : program;
            tasks.put(
                    id,
                    new Task(
                            id,
                            actionType,
                            parents,
                            Math.max(0.01, run.path("runtimeInSeconds").asDouble(1)),
                            run.path("avgCPU").asDouble(100),
                            run.path("memoryInBytes").asLong(0),
                            run.path("readBytes").asLong(in),
                            run.path("writtenBytes").asLong(out),
                            in,
                            out));
        }
        String type = fileName.replaceAll("\\.json$", "").replaceAll("-chameleon.*$", "");
        return new Template(type, topologicalOrder(fileName, tasks));
    }

    private static List<Task> topologicalOrder(String fileName, Map<String, Task> tasks) {
        Map<String, Integer> waiting = new HashMap<>();
        Map<String, List<String>> children = new HashMap<>();
        tasks.values()
                .forEach(
                        t -> {
                            waiting.put(
                                    t.id(),
                                    (int) t.parents().stream().filter(tasks::containsKey).count());
                            t.parents()
                                    .forEach(
                                            p ->
                                                    children.computeIfAbsent(
                                                                    p, k -> new ArrayList<>())
                                                            .add(t.id()));
                        });
        Deque<String> ready = new ArrayDeque<>();
        waiting.forEach(
                (id, n) -> {
                    if (n == 0) {
                        ready.add(id);
                    }
                });
        List<Task> order = new ArrayList<>();
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

    private static String resource(String name) {
        try (InputStream in = WfTrace.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
