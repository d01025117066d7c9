package dev.foreshadow.jobs.bench;

import dev.foreshadow.connectors.embedded.EmbeddedStack;
import dev.foreshadow.connectors.history.Migrations;
import dev.foreshadow.connectors.kafka.ConsumerGroups;
import dev.foreshadow.connectors.kafka.Topics;
import dev.foreshadow.connectors.records.WorkflowEvent;
import dev.foreshadow.connectors.signing.KeyRing;
import dev.foreshadow.connectors.signing.SigningKey;
import dev.foreshadow.jobs.common.LocalFlink;
import dev.foreshadow.jobs.common.SplitDeadLetters;
import dev.foreshadow.jobs.common.Watermarks;
import dev.foreshadow.jobs.common.WireFormats;
import dev.foreshadow.jobs.demo.DemoWorkload;
import dev.foreshadow.jobs.shadow.ShadowJob;
import dev.foreshadow.jobs.shadow.ShadowSettings;
import dev.foreshadow.jobs.shadow.events.ExternalEventOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
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

    /**
     * Events per second of each job over the same records (NaN for a part not run), and the
     * latencies measured live (null when not run).
     */
    public record Result(
            long events,
            double pipelinePerSecond,
            double passthroughPerSecond,
            LatencyBenchmark.Result latency) {
        public double ratio() {
            return pipelinePerSecond / passthroughPerSecond;
        }
    }

    /** Which parts to run: the throughput rounds, the live latency part after them, or both. */
    public enum Parts {
        BOTH,
        THROUGHPUT,
        LATENCY;

        boolean throughput() {
            return this != LATENCY;
        }

        boolean latency() {
            return this != THROUGHPUT;
        }
    }

    private static final String PASSTHROUGH_OUT = "bench-passthrough";

    private final Path runDir;
    private final int parallelism;
    private final Duration checkpointInterval;
    private final Consumer<String> log;

    /** Signs the latency part's external events; the jobs read it from {@link #keyFile}. */
    private SigningKey key;

    private Path keyFile;

    /**
     * @param checkpointInterval of both jobs (a cluster's {@code execution.checkpointing.interval}:
     *     what a checkpoint costs is part of what is measured)
     */
    public PipelineBenchmark(
            Path runDir, int parallelism, Duration checkpointInterval, Consumer<String> log) {
        this.runDir = runDir.toAbsolutePath();
        this.parallelism = parallelism;
        this.checkpointInterval = checkpointInterval;
        this.log = log;
    }

    /**
     * Publishes at least {@code events} records of the demo's shape (its runs arriving over the
     * last weeks), then runs the passthrough and ShadowJob over them, alternating for {@code
     * rounds}; for the latency part, the last ShadowJob (with {@link Parts#LATENCY} alone: one
     * ShadowJob, which measures the maximum rate) keeps running, caught up, and the live workload
     * is published at half the rate it measured ({@link LatencyBenchmark}).
     */
    public Result run(int events, int rounds, Parts parts, LongConsumer published)
            throws Exception {
        Files.createDirectories(runDir);
        byte[] secret = new byte[SigningKey.MIN_SECRET_BYTES];
        new SecureRandom().nextBytes(secret);
        key = new SigningKey("bench", SigningKey.ANY_TENANT, secret);
        keyFile =
                Files.write(
                        runDir.resolve("external-event-keys"),
                        List.of(KeyRing.line(key.keyId(), key.tenant(), secret)));
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
            int pipelineRounds = parts.throughput() ? rounds : 1;
            JobClient live = null;
            for (int round = 1; round <= pipelineRounds; round++) {
                if (parts.throughput()) {
                    double p = passthrough(stack, round);
                    log.accept(String.format("round %d passthrough: %,.0f events/s", round, n / p));
                    passthroughSeconds += p;
                }
                boolean keep = parts.latency() && round == pipelineRounds;
                Timed q = pipeline(stack, round, keep);
                log.accept(
                        String.format(
                                "round %d pipeline:    %,.0f events/s", round, n / q.seconds()));
                pipelineSeconds += q.seconds();
                live = q.job();
            }
            double passthrough = parts.throughput() ? n * rounds / passthroughSeconds : Double.NaN;
            double pipeline = n * pipelineRounds / pipelineSeconds;
            LatencyBenchmark.Result latency = null;
            if (live != null) {
                try {
                    latency = latency(stack, pipeline / 2);
                } finally {
                    cancel(live);
                }
            }
            return new Result(n, pipeline, passthrough, latency);
        }
    }

    /** The live part, on the ShadowJob left running, at {@code rate} events per second. */
    private LatencyBenchmark.Result latency(EmbeddedStack stack, double rate) throws Exception {
        ShadowSettings s = settings(stack, "bench-latency");
        log.accept(
                String.format(
                        "latency: the live workload at %,.0f events/s (half the pipeline's rate),"
                                + " stamped as published; probes over one forecast bucket (%s)",
                        rate, s.forecast().bucket()));
        Instant end = Instant.now().truncatedTo(ChronoUnit.HOURS);
        List<DemoWorkload.Record> workload =
                DemoWorkload.bundled(end.minus(Duration.ofDays(1)), end, 8, 20);
        return new LatencyBenchmark(
                        stack, key, s.job().outOfOrderness(), s.forecast().bucket(), log)
                .run(workload, rate);
    }

    /** Records of the demo's shape, as many days back as {@code events} needs, all at once. */
    private long publish(EmbeddedStack stack, int events, LongConsumer published) throws Exception {
        // the demo's four types at 20 runs per peak hour give about 70k events a day
        int days = Math.max(1, Math.min(150, (int) Math.ceil(events / 70_000.0)));
        Instant end = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(3));
        List<DemoWorkload.Record> records =
                new ArrayList<>(DemoWorkload.bundled(end.minus(Duration.ofDays(days)), end, 7, 20));
        // the latency part's probes need a history of their own (LatencyProbes), in time order,
        // within the records published
        int demo = Math.min(records.size(), events);
        List<DemoWorkload.Record> probes =
                LatencyProbes.history(records.get(0).time(), records.get(demo - 1).time(), 7);
        records.addAll(probes);
        records.sort(Comparator.comparing(DemoWorkload.Record::time));
        Properties p = stack.kafka().clientProperties();
        p.put("linger.ms", "20");
        p.put("batch.size", Integer.toString(256 * 1024));
        long n = Math.min(records.size(), (long) demo + probes.size());
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
        Local local = environment("flink-passthrough-" + round);
        ShadowJob.configure(local.env());
        local.env()
                .fromSource(
                        s.kafka()
                                .source(
                                        Topics.WORKFLOW_EVENTS,
                                        s.groupId(),
                                        ShadowJob.workflowEvents(s)),
                        Watermarks.<WorkflowEvent>of(s.job()),
                        "passthrough-source")
                .process(new SplitDeadLetters<WorkflowEvent>())
                .returns(WireFormats.WORKFLOW_EVENTS)
                .sinkTo(
                        s.kafka()
                                .jsonSink(
                                        PASSTHROUGH_OUT,
                                        WorkflowEvent::runId,
                                        s.guarantee(),
                                        "foreshadow-bench-passthrough"));
        return run(stack, local, "passthrough", s.groupId(), false).seconds();
    }

    /** Seconds a job took to read the topic, and the job when it was left running. */
    private record Timed(double seconds, JobClient job) {}

    /**
     * Seconds ShadowJob took to read the topic, into an empty history; with {@code keep}, the job
     * stays running.
     */
    private Timed pipeline(EmbeddedStack stack, int round, boolean keep) throws Exception {
        try (var c = stack.postgres().connect();
                var st = c.createStatement()) {
            st.execute("TRUNCATE action_samples, workflow_runs, action_stats, arrivals, anomalies");
        }
        ShadowSettings s = signedSettings(stack, "bench-pipeline-" + round);
        Local local = environment("flink-pipeline-" + round);
        ShadowJob.of(s).build(local.env());
        return run(stack, local, ShadowJob.NAME, s.groupId(), keep);
    }

    /**
     * Runs the job until it has read the topic and a checkpoint has committed its end (so every
     * record had passed every operator and the history rows of all were written); the seconds from
     * RUNNING until then. Its sources' live offsets tell when they have fetched the last record;
     * then a checkpoint is asked for at once, so the time does not depend on where in its interval
     * the job ended. The job is cancelled then unless {@code keep}.
     */
    private Timed run(EmbeddedStack stack, Local local, String name, String group, boolean keep)
            throws Exception {
        JobClient job = local.env().executeAsync(name);
        boolean kept = false;
        try (Admin admin = Admin.create(stack.kafka().clientProperties())) {
            Map<Integer, Long> ends = endOffsets(admin, Topics.WORKFLOW_EVENTS);
            while (job.getJobStatus().get() != JobStatus.RUNNING) {
                failIfEnded(job, name);
                Thread.sleep(50);
            }
            long start = System.nanoTime();
            // a periodic checkpoint that commits the end first (or a source without its offset
            // metric) ends the wait too, once a second
            for (int polls = 1;
                    !SourceOffsets.fetchedTo(job.getJobID(), Topics.WORKFLOW_EVENTS, ends);
                    polls++) {
                failIfEnded(job, name);
                if (polls % 50 == 0
                        && ConsumerGroups.caughtUp(admin, group, Topics.WORKFLOW_EVENTS)) {
                    break;
                }
                Thread.sleep(20);
            }
            triggerCheckpoint(local.restPort(), job.getJobID());
            while (!ConsumerGroups.caughtUp(admin, group, Topics.WORKFLOW_EVENTS)) {
                failIfEnded(job, name);
                Thread.sleep(20);
            }
            kept = keep;
            return new Timed((System.nanoTime() - start) / 1e9, keep ? job : null);
        } finally {
            if (!kept) {
                cancel(job);
            }
        }
    }

    /** Per partition of {@code topic}, the offset after its last record. */
    private static Map<Integer, Long> endOffsets(Admin admin, String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(List.of(topic))
                .allTopicNames()
                .get()
                .get(topic)
                .partitions()
                .forEach(
                        p ->
                                latest.put(
                                        new TopicPartition(topic, p.partition()),
                                        OffsetSpec.latest()));
        Map<Integer, Long> ends = new HashMap<>();
        admin.listOffsets(latest)
                .all()
                .get()
                .forEach((p, o) -> ends.put(p.partition(), o.offset()));
        return ends;
    }

    /** Asks the job's cluster for a checkpoint now (Flink's REST API). */
    private static void triggerCheckpoint(int restPort, JobID job) throws Exception {
        HttpRequest request =
                HttpRequest.newBuilder(
                                URI.create(
                                        "http://127.0.0.1:"
                                                + restPort
                                                + "/jobs/"
                                                + job.toHexString()
                                                + "/checkpoints"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"checkpointType\":\"FULL\"}"))
                        .build();
        HttpResponse<String> response =
                HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(
                    "the cluster refused a checkpoint: HTTP "
                            + response.statusCode()
                            + " "
                            + response.body());
        }
    }

    /** Cancels {@code job} and waits until it has ended, so no task outlives the stack. */
    private static void cancel(JobClient job) throws Exception {
        job.cancel().get();
        try {
            job.getJobExecutionResult().get();
        } catch (ExecutionException cancelled) {
            // what a cancelled job's result is: it has ended
        }
    }

    private static void failIfEnded(JobClient job, String name) throws Exception {
        if (job.getJobStatus().get().isGloballyTerminalState()) {
            throw new IllegalStateException(name + " ended early: " + job.getJobStatus().get());
        }
    }

    /**
     * ShadowJob's defaults on the embedded stack, reading in consumer group {@code group}, with the
     * benchmark's signing key.
     */
    private ShadowSettings signedSettings(EmbeddedStack stack, String group) {
        Map<String, String> s = new HashMap<>(settingsMap(stack, group));
        s.put(ExternalEventOptions.KEY_FILE.key(), keyFile.toString());
        return ShadowSettings.from(ShadowSettings.load(null, s));
    }

    /** ShadowJob's defaults on the embedded stack, reading in consumer group {@code group}. */
    static ShadowSettings settings(EmbeddedStack stack, String group) {
        return ShadowSettings.from(ShadowSettings.load(null, settingsMap(stack, group)));
    }

    private static Map<String, String> settingsMap(EmbeddedStack stack, String group) {
        return Map.of(
                "kafka.bootstrap-servers",
                stack.kafkaBootstrapServers(),
                "kafka.group-id",
                group,
                "history.jdbc-url",
                stack.jdbcUrl(),
                "history.user",
                "postgres");
    }

    /** A local cluster at the benchmark's checkpoint interval, its REST API on a free port. */
    private Local environment(String dir) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Map<String, String> conf = new HashMap<>(SourceOffsets.configure());
        conf.put("execution.checkpointing.interval", checkpointInterval.toMillis() + " ms");
        conf.put("rest.address", "127.0.0.1");
        conf.put("rest.bind-address", "127.0.0.1");
        conf.put("rest.bind-port", Integer.toString(port));
        conf.put("rest.port", Integer.toString(port));
        return new Local(LocalFlink.environment(runDir.resolve(dir), parallelism, conf), port);
    }

    /** A job's environment and the port of its cluster's REST API. */
    private record Local(StreamExecutionEnvironment env, int restPort) {}
}
