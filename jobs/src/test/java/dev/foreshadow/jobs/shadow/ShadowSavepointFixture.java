package dev.foreshadow.jobs.shadow;

import dev.foreshadow.connectors.embedded.EmbeddedStack;
import dev.foreshadow.connectors.history.Migrations;
import dev.foreshadow.connectors.kafka.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Writes the savepoint fixture that {@link ShadowSavepointRestoreITCase} restores: ShadowJob runs
 * {@link SavepointWorkload#beforeSavepoint()} on the embedded stack and is stopped with a canonical
 * savepoint without draining, so runs, windows and detectors are caught mid-flight. Not a test: run
 * it by hand with the version whose state later versions must read, e.g.
 *
 * <pre>
 * java -cp "$(test classpath)" dev.foreshadow.jobs.shadow.ShadowSavepointFixture \
 *     jobs/src/test/resources/savepoints/shadow-0.1
 * </pre>
 */
public final class ShadowSavepointFixture {

    private ShadowSavepointFixture() {}

    public static void main(String[] args) throws Exception {
        Path target = Path.of(args[0]).toAbsolutePath();
        Path work = Files.createTempDirectory("savepoint-fixture");
        try (EmbeddedStack stack = EmbeddedStack.start(work.resolve("stack"))) {
            stack.createTopics(Topics.ALL, 2);
            try (Connection c = stack.postgres().connect()) {
                Migrations.apply(c);
            }
            SavepointRuns.publish(stack, SavepointWorkload.beforeSavepoint());
            Map<String, String> settings = new HashMap<>(SavepointWorkload.SETTINGS);
            settings.putAll(SavepointRuns.stackSettings(stack));
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(
                            SavepointRuns.flinkConf(work, null));
            env.setParallelism(2);
            env.enableCheckpointing(300);
            ShadowJob.of(ShadowSettings.from(ShadowSettings.load(null, settings))).build(env);
            JobClient job = env.executeAsync(ShadowJob.NAME);
            SavepointRuns.awaitConsumed(stack, job);
            String savepoint =
                    job.stopWithSavepoint(
                                    false,
                                    work.resolve("savepoints").toUri().toString(),
                                    SavepointFormatType.CANONICAL)
                            .get();
            job.getJobExecutionResult().get();
            copy(Path.of(java.net.URI.create(savepoint)), target);
            System.out.println("savepoint fixture written to " + target);
        }
    }

    private static void copy(Path from, Path to) throws Exception {
        if (Files.exists(to)) {
            try (Stream<Path> old = Files.walk(to)) {
                for (Path p : old.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest);
                }
            }
        }
    }
}
