package dev.foreshadow.jobs.bench;

import dev.foreshadow.connectors.embedded.EmbeddedStack;
import dev.foreshadow.connectors.history.Migrations;
import dev.foreshadow.connectors.json.Json;
import dev.foreshadow.connectors.kafka.ConsumerGroups;
import dev.foreshadow.connectors.kafka.Topics;
import dev.foreshadow.connectors.records.ActionMetrics;
import dev.foreshadow.connectors.records.EventType;
import dev.foreshadow.connectors.records.WorkflowEvent;
import dev.foreshadow.jobs.common.LocalFlink;
import dev.foreshadow.jobs.shadow.ShadowJob;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What runs in flight cost ShadowJob: {@code runs} runs are started and left running (each has
 * started, finished one action and is running a second), ShadowJob's whole graph reads them on the
 * in-process cluster with the heap state backend, and then (1) the heap it holds over the idle
 * stack, measured after full collections, and (2) the size of a savepoint of the whole job (every
 * operator: the shadow's runs, and the windows, baselines and timers those runs feed), both divided
 * by the runs in flight. The savepoint is an upper bound of the shadow's own share.
 */
public final class StateBenchmark {

    /** The measured costs of the runs in flight. */
    public record Result(long runs, long heapBytes, long savepointBytes) {
        public double heapPerRun() {
            return (double) heapBytes / runs;
        }

        public double savepointPerRun() {
            return (double) savepointBytes / runs;
        }
    }

    private static final int TYPES = 20;

    private final Path runDir;
    private final Consumer<String> log;

    public StateBenchmark(Path runDir, Consumer<String> log) {
        this.runDir = runDir.toAbsolutePath();
        this.log = log;
    }

    public Result run(int runs, LongConsumer published) throws Exception {
        try (EmbeddedStack stack = EmbeddedStack.start(runDir.resolve("stack"))) {
            stack.createTopics(Topics.ALL, 1);
            try (var c = stack.postgres().connect()) {
                Migrations.apply(c);
            }
            publish(stack, runs, published);
            long idle = usedHeap();
            String group = "bench-state";
            StreamExecutionEnvironment env =
                    LocalFlink.environment(
                            runDir.resolve("flink"),
                            1,
                            Map.of(
                                    "execution.checkpointing.interval", "2 s",
                                    "state.backend.type", "hashmap"));
            ShadowJob.of(PipelineBenchmark.settings(stack, group)).build(env);
            JobClient job = env.executeAsync(ShadowJob.NAME + "-state");
            try (Admin admin = Admin.create(stack.kafka().clientProperties())) {
                while (!ConsumerGroups.caughtUp(admin, group, Topics.WORKFLOW_EVENTS)) {
                    if (job.getJobStatus().get().isGloballyTerminalState()) {
                        throw new IllegalStateException("ShadowJob ended early");
                    }
                    Thread.sleep(200);
                }
            }
            long held = usedHeap() - idle;
            log.accept(String.format("ShadowJob read %,d runs in flight", runs));
            String savepoint =
                    job.stopWithSavepoint(
                                    false,
                                    runDir.resolve("savepoints").toUri().toString(),
                                    SavepointFormatType.CANONICAL)
                            .get();
            return new Result(runs, held, size(Path.of(URI.create(savepoint))));
        }
    }

    /** Each run: started, one action done (with its metrics), a second action running. */
    private static void publish(EmbeddedStack stack, int runs, LongConsumer published) {
        Instant t0 = Instant.now().minus(Duration.ofMinutes(30));
        Properties p = stack.kafka().clientProperties();
        p.put("linger.ms", "20");
        p.put("batch.size", Integer.toString(256 * 1024));
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < runs; i++) {
                String run = "run-" + i;
                String type = "type-" + (i % TYPES);
                Instant t = t0.plusMillis(10L * i % Duration.ofMinutes(20).toMillis());
                ActionMetrics done =
                        new ActionMetrics(
                                2000L,
                                1.5,
                                1.0,
                                256L << 20,
                                1L << 20,
                                1L << 19,
                                1L << 22,
                                1L << 21);
                for (WorkflowEvent e :
                        new WorkflowEvent[] {
                            event(run + "-s", EventType.WORKFLOW_STARTED, t, type, run, null, null),
                            event(
                                    run + "-1s",
                                    EventType.ACTION_STARTED,
                                    t,
                                    type,
                                    run,
                                    "extract",
                                    null),
                            event(
                                    run + "-1f",
                                    EventType.ACTION_FINISHED,
                                    t.plusSeconds(2),
                                    type,
                                    run,
                                    "extract",
                                    done),
                            event(
                                    run + "-2s",
                                    EventType.ACTION_STARTED,
                                    t.plusSeconds(2),
                                    type,
                                    run,
                                    "transform",
                                    null)
                        }) {
                    producer.send(
                            new ProducerRecord<>(
                                    Topics.WORKFLOW_EVENTS,
                                    run.getBytes(StandardCharsets.UTF_8),
                                    Json.bytes(e)));
                }
                if (i % 10_000 == 9_999) {
                    published.accept(10_000);
                }
            }
        }
    }

    private static WorkflowEvent event(
            String id,
            EventType type,
            Instant t,
            String workflowType,
            String run,
            String action,
            ActionMetrics metrics) {
        return new WorkflowEvent(
                id,
                type,
                t,
                "bench",
                workflowType,
                run,
                action,
                action == null ? null : run + "-" + action,
                null,
                action == null ? null : 1,
                metrics,
                null,
                null,
                null);
    }

    /** Heap in use after full collections (until it stops shrinking). */
    private static long usedHeap() throws InterruptedException {
        var memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(200);
            long now = memory.getHeapMemoryUsage().getUsed();
            if (now >= used) {
                break;
            }
            used = now;
        }
        return used;
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(
                            f -> {
                                try {
                                    return Files.size(f);
                                } catch (IOException e) {
                                    throw new UncheckedIOException(e);
                                }
                            })
                    .sum();
        }
    }
}
