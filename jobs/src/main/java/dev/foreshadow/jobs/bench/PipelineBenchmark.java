package dev.foreshadow.jobs.bench;

import dev.foreshadow.connectors.embedded.EmbeddedStack;
import dev.foreshadow.connectors.history.Migrations;
import dev.foreshadow.connectors.kafka.ConsumerGroups;
import dev.foreshadow.connectors.kafka.Topics;
import dev.foreshadow.connectors.records.WorkflowEvent;
import dev.foreshadow.jobs.common.LocalFlink;
import dev.foreshadow.jobs.common.SplitDeadLetters;
import dev.foreshadow.jobs.common.Watermarks;
import dev.foreshadow.jobs.demo.DemoWorkload;
import dev.foreshadow.jobs.shadow.ShadowJob;
import dev.foreshadow.jobs.shadow.ShadowSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * ShadowJob's whole graph (history sink, detectors, patterns) against a bare Kafka -> decode ->
 * Kafka passthrough, on the same embedded stack and the same local cluster settings, over the same
 * records of the demo's workload shape: each job reads the whole topic from the start in its own
 * consumer group, and its rate is the events it read over the time from RUNNING until a checkpoint
 * had committed the end of the topic (so the history rows of those events were flushed too). The
 * two alternate over several rounds, ShadowJob into an emptied history each time.
 */
public final class PipelineBenchmark {

    /** Events per second of each job over the same records. */
    public record Result(long events, double pipelinePerSecond, double passthroughPerSecond) {
        public double ratio() {
            return pipelinePerSecond / passthroughPerSecond;
        }
    }

    private static final String PASSTHROUGH_OUT = "bench-passthrough";

    private final Path runDir;
    private final int parallelism;
    private final Consumer<String> log;

    public PipelineBenchmark(Path runDir, int parallelism, Consumer<String> log) {
        this.runDir = runDir.toAbsolutePath();
        this.parallelism = parallelism;
        this.log = log;
    }

    /**
     * Publishes at least {@code events} records of the demo's shape (its runs arriving over the
     * last weeks), then runs the passthrough and ShadowJob over them, one after the other.
     */
    public Result run(int events, int rounds, LongConsumer published) throws Exception {
        try (EmbeddedStack stack = EmbeddedStack.start(runDir.resolve("stack"))) {
            stack.createTopics(Topics.ALL, parallelism);
            stack.createTopics(List.of(PASSTHROUGH_OUT), parallelism);
            try (var c = stack.postgres().connect()) {
                Migrations.apply(c);
            }
            long n = publish(stack, events, published);
            log.accept(String.format("published %,d events", n));
            // the two alternate, so that what else the machine does weighs on both alike
            double passthroughSeconds = 0;
            double pipelineSeconds = 0;
            for (int round = 1; round <= rounds; round++) {
                double p = passthrough(stack, round);
                log.accept(String.format("round %d passthrough: %,.0f events/s", round, n / p));
                double q = pipeline(stack, round);
                log.accept(String.format("round %d pipeline:    %,.0f events/s", round, n / q));
                passthroughSeconds += p;
                pipelineSeconds += q;
            }
            double passthrough = n * rounds / passthroughSeconds;
            double pipeline = n * rounds / pipelineSeconds;
            return new Result(n, pipeline, passthrough);
        }
    }

    /** Records of the demo's shape, as many days back as {@code events} needs, all at once. */
    private long publish(EmbeddedStack stack, int events, LongConsumer published) throws Exception {
        // the demo's four types at 20 runs per peak hour give about 70k events a day
        int days = Math.max(1, Math.min(150, (int) Math.ceil(events / 70_000.0)));
        Instant end = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(3));
        List<DemoWorkload.Record> records =
                DemoWorkload.bundled(end.minus(Duration.ofDays(days)), end, 7, 20);
        Properties p = stack.kafka().clientProperties();
        p.put("linger.ms", "20");
        p.put("batch.size", Integer.toString(256 * 1024));
        long n = Math.min(records.size(), Math.max(events, 1));
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < n; i++) {
                DemoWorkload.Record r = records.get(i);
                producer.send(
                        new ProducerRecord<>(
                                Topics.WORKFLOW_EVENTS,
                                r.key().getBytes(StandardCharsets.UTF_8),
                                r.value()));
                if (i % 10_000 == 0) {
                    published.accept(i == 0 ? 0 : 10_000);
                }
            }
        }
        return n;
    }

    /** Seconds the passthrough took to read the topic. */
    private double passthrough(EmbeddedStack stack, int round) throws Exception {
        ShadowSettings s = settings(stack, "bench-passthrough-" + round);
        StreamExecutionEnvironment env = environment("flink-passthrough-" + round);
        env.fromSource(
                        s.kafka()
                                .source(
                                        Topics.WORKFLOW_EVENTS,
                                        s.groupId(),
                                        ShadowJob.workflowEvents(s)),
                        Watermarks.<WorkflowEvent>of(s.job()),
                        "passthrough-source")
                .process(new SplitDeadLetters<WorkflowEvent>())
                .returns(WorkflowEvent.class)
                .sinkTo(
                        s.kafka()
                                .jsonSink(
                                        PASSTHROUGH_OUT,
                                        WorkflowEvent::runId,
                                        s.guarantee(),
                                        "foreshadow-bench-passthrough"));
        return seconds(stack, env, "passthrough", s.groupId());
    }

    /** Seconds ShadowJob took to read the topic, into an empty history. */
    private double pipeline(EmbeddedStack stack, int round) throws Exception {
        try (var c = stack.postgres().connect();
                var st = c.createStatement()) {
            st.execute("TRUNCATE action_samples, workflow_runs, action_stats, arrivals, anomalies");
        }
        ShadowSettings s = settings(stack, "bench-pipeline-" + round);
        StreamExecutionEnvironment env = environment("flink-pipeline-" + round);
        ShadowJob.of(s).build(env);
        return seconds(stack, env, ShadowJob.NAME, s.groupId());
    }

    /** Runs the job until its group has read the topic; the seconds from RUNNING until then. */
    private static double seconds(
            EmbeddedStack stack, StreamExecutionEnvironment env, String name, String group)
            throws Exception {
        JobClient job = env.executeAsync(name);
        try (Admin admin = Admin.create(stack.kafka().clientProperties())) {
            while (job.getJobStatus().get() != JobStatus.RUNNING) {
                failIfEnded(job, name);
                Thread.sleep(50);
            }
            long start = System.nanoTime();
            while (!ConsumerGroups.caughtUp(admin, group, Topics.WORKFLOW_EVENTS)) {
                failIfEnded(job, name);
                Thread.sleep(100);
            }
            return (System.nanoTime() - start) / 1e9;
        } finally {
            job.cancel().get();
        }
    }

    private static void failIfEnded(JobClient job, String name) throws Exception {
        if (job.getJobStatus().get().isGloballyTerminalState()) {
            throw new IllegalStateException(name + " ended early: " + job.getJobStatus().get());
        }
    }

    /** ShadowJob's defaults on the embedded stack, reading in consumer group {@code group}. */
    static ShadowSettings settings(EmbeddedStack stack, String group) {
        return ShadowSettings.from(
                ShadowSettings.load(
                        null,
                        Map.of(
                                "kafka.bootstrap-servers",
                                stack.kafkaBootstrapServers(),
                                "kafka.group-id",
                                group,
                                "history.jdbc-url",
                                stack.jdbcUrl(),
                                "history.user",
                                "postgres")));
    }

    private StreamExecutionEnvironment environment(String dir) {
        return LocalFlink.environment(
                runDir.resolve(dir),
                parallelism,
                Map.of("execution.checkpointing.interval", "1 s"));
    }
}
