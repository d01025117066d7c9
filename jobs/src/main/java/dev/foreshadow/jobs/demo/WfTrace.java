package dev.foreshadow.jobs.demo;

import dev.foreshadow.models.workload.WfFormat;
import dev.foreshadow.models.workload.WfTask;
import dev.foreshadow.models.workload.WfWorkflow;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Workflow templates read from WfCommons traces (WfFormat 1.5 JSON, parsed by {@link WfFormat}: the
 * DAG and the measured runtime, CPU, memory and bytes of each task). Each file is one workflow
 * type, named after the file ({@code srasearch-chameleon-10a-001.json} is {@code srasearch}); a
 * task's action type is the program it ran.
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
        try (Stream<Path> files = Files.walk(dir)) {
            if (files.noneMatch(p -> p.toString().endsWith(".json"))) {
                throw new IllegalArgumentException(
                        "--trace " + dir + " holds no WfFormat .json file");
            }
        }
        return WfFormat.read(dir).stream().map(WfTrace::template).toList();
    }

    static Template parse(String fileName, byte[] json) {
        return template(WfFormat.parse(fileName, json));
    }

    /** The demo's view of a workflow instance (the parsing is {@link WfFormat}'s). */
    private static Template template(WfWorkflow w) {
        List<Task> tasks = new ArrayList<>();
        for (WfTask t : w.tasks()) {
            tasks.add(
                    new Task(
                            t.id(),
                            t.actionType(),
                            t.parents(),
                            t.runtimeSeconds(),
                            t.avgCpuPercent(),
                            t.memoryBytes(),
                            t.readBytes(),
                            t.writtenBytes(),
                            t.inputBytes(),
                            t.outputBytes()));
        }
        return new Template(w.name(), tasks);
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
