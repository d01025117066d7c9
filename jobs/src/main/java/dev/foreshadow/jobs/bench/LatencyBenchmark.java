package dev.foreshadow.jobs.bench;

import dev.foreshadow.connectors.embedded.EmbeddedStack;
import dev.foreshadow.connectors.external.ExternalEventSigner;
import dev.foreshadow.connectors.json.Json;
import dev.foreshadow.connectors.json.Rejected;
import dev.foreshadow.connectors.kafka.Topics;
import dev.foreshadow.connectors.records.AllocationCommand;
import dev.foreshadow.connectors.records.Anomaly;
import dev.foreshadow.connectors.records.ExternalEvent;
import dev.foreshadow.connectors.records.WorkflowEvent;
import dev.foreshadow.connectors.signing.SigningKey;
import dev.foreshadow.jobs.demo.DemoWorkload;
import dev.foreshadow.models.domain.ExternalEventKind;
import dev.foreshadow.models.domain.PoolId;
import dev.foreshadow.models.domain.WorkloadKey;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * How long a running ShadowJob takes to alert and to command, at a given rate of workflow events:
 * the live part of {@code bench pipeline}. The job must already be running and caught up with the
 * backlog (which holds {@link LatencyProbes#history} so that the probes' baselines are warm).
 *
 * <p>Input: the demo's workload shape, every event stamped with the wall-clock instant it is
 * published (so the watermark follows the wall clock, as in production; a run's events are closer
 * together than in the trace, its metrics unchanged), published at {@code rate} events per second
 * by a rate-limited producer, and among it, at known instants: {@link LatencyProbes#probe} actions
 * (each of an action type of its own, a runaway duration), and signed external events (each of a
 * (workflow type, kind) of its own, doubling the type's demand for the next half hour). Output,
 * read from the topics as a subscriber sees them (receive time): per probe, the time from
 * publishing the action's end to the first alert on {@code anomalies} naming the probe's run; per
 * external event, the time from publishing it to the first command on {@code allocation-commands}
 * for the type's pool whose basis names the event's kind, and the part of that time after the
 * command was issued ({@code issuedAt}: the event's announcement for the revision of a plan the
 * event's arrival makes, else the bucket end at which the event first entered a forecast). The
 * workload keeps flowing until every probe is answered or a timeout passes, so the watermark
 * advances.
 */
public final class LatencyBenchmark {

    /** Latencies in milliseconds, and what was sent but never answered. */
    public record Result(
            double rate,
            Duration outOfOrderness,
            Duration bucket,
            long[] alertMs,
            int alertProbes,
            long[] commandMs,
            long[] commandAfterIssueMs,
            int commandProbes,
            long published) {}

    /** The signed events' effect on demand, and how long it lasts. */
    private static final double MAGNITUDE = 2.0;

    private static final Duration EFFECT = Duration.ofMinutes(30);
    private static final Duration WARM_UP = Duration.ofSeconds(10);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(30);

    /**
     * An alert later than this beyond the out-of-orderness is logged with its place in the bucket.
     */
    private static final Duration SLOW_ALERT_BEYOND = Duration.ofMillis(300);

    /** A command later than this after its event's publication is logged with what answered it. */
    private static final Duration SLOW_COMMAND = Duration.ofSeconds(1);

    private final EmbeddedStack stack;
    private final SigningKey key;
    private final Duration outOfOrderness;
    private final Duration bucket;
    private final Consumer<String> log;

    LatencyBenchmark(
            EmbeddedStack stack,
            SigningKey key,
            Duration outOfOrderness,
            Duration bucket,
            Consumer<String> log) {
        this.stack = stack;
        this.key = key;
        this.outOfOrderness = outOfOrderness;
        this.bucket = bucket;
        this.log = log;
    }

    /** One probe sent: what answers it, when it was published. */
    private static final class Probe {
        final String match;
        final String pool;
        final long publishedMs;
        volatile long answeredMs = -1;
        volatile long issuedMs = -1;
        volatile String answeredBy;

        Probe(String match, String pool, long publishedMs) {
            this.match = match;
            this.pool = pool;
            this.publishedMs = publishedMs;
        }
    }

    /**
     * Publishes the live workload at {@code rate} events per second with the probes among it, for
     * as long as the probes need, and measures.
     */
    Result run(List<DemoWorkload.Record> workload, double rate) throws Exception {
        List<WorkflowEvent> events = new ArrayList<>();
        List<byte[]> broken = new ArrayList<>();
        for (DemoWorkload.Record r : workload) {
            WorkflowEvent e = null;
            try {
                e = Json.read(r.value(), WorkflowEvent.class);
            } catch (RuntimeException notAnEvent) {
                // one of the demo's malformed records
            }
            if (e == null || e.eventId() == null || e.runId() == null) {
                broken.add(r.value()); // bad on purpose: published as it is, never restamped
            } else {
                events.add(e);
            }
        }
        List<String> types =
                new ArrayList<>(
                        new LinkedHashSet<>(
                                events.stream().map(WorkflowEvent::workflowType).toList()));
        String tenant = events.get(0).tenant();
        List<ExternalEventKind> kinds = Arrays.asList(ExternalEventKind.values());
        int externalProbes = types.size() * kinds.size();
        int actionProbes = LatencyProbes.ACTION_TYPES;
        // both kinds of probe spread over one forecast bucket, so the external events meet every
        // phase of it; each action type and each (type, kind) once
        long spanMs = bucket.toMillis();
        long timeoutMs = WARM_UP.toMillis() + 2 * spanMs + outOfOrderness.toMillis() + 60_000;

        Map<String, Probe> alerts = new ConcurrentHashMap<>();
        List<Probe> commands = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        // assigned and at the topics' ends before anything is published
        KafkaConsumer<byte[], byte[]> consumer = consumer();
        Thread reader = new Thread(() -> read(consumer, alerts, commands, stop), "latency-reader");
        reader.setDaemon(true);
        reader.start();

        Properties p = stack.kafka().clientProperties();
        p.put("linger.ms", "2");
        ExternalEventSigner signer = new ExternalEventSigner(key, InstantSource.system());
        SplittableRandom random = new SplittableRandom(17);
        long published = 0;
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            long startNanos = System.nanoTime();
            long startMs = System.currentTimeMillis();
            long nextProgress = startMs + PROGRESS_EVERY.toMillis();
            int nextAction = 0;
            int nextExternal = 0;
            int i = 0;
            int cycle = 0;
            int brokenAt = 0;
            while (true) {
                long elapsedMs = System.currentTimeMillis() - startMs;
                if (nextAction < actionProbes
                        && elapsedMs >= WARM_UP.toMillis() + spanMs * nextAction / actionProbes) {
                    Instant at = Instant.now();
                    List<WorkflowEvent> run = LatencyProbes.probe(nextAction, at, random);
                    alerts.put(
                            LatencyProbes.probeRunId(nextAction),
                            new Probe(
                                    LatencyProbes.probeRunId(nextAction), null, at.toEpochMilli()));
                    for (WorkflowEvent e : run) {
                        send(producer, Topics.WORKFLOW_EVENTS, e.runId(), Json.bytes(e));
                    }
                    published += run.size();
                    nextAction++;
                }
                if (nextExternal < externalProbes
                        && elapsedMs
                                >= WARM_UP.toMillis() + spanMs * nextExternal / externalProbes) {
                    String type = types.get(nextExternal % types.size());
                    ExternalEventKind kind = kinds.get(nextExternal / types.size());
                    long publishedMs = System.currentTimeMillis(); // before it is signed
                    byte[] signed = signed(signer, tenant, type, kind, nextExternal);
                    WorkloadKey typeKey = WorkloadKey.ofType(tenant, type);
                    // a command's basis names each event applied as "<type> <kind> x<multiplier>
                    // ..."
                    Probe probe =
                            new Probe(
                                    typeKey + " " + kind.wireName() + " x",
                                    PoolId.defaultFor(typeKey).name(),
                                    publishedMs);
                    commands.add(probe);
                    send(producer, Topics.EXTERNAL_EVENTS, "bench-" + nextExternal, signed);
                    nextExternal++;
                }
                boolean sent = nextAction == actionProbes && nextExternal == externalProbes;
                if (sent && answered(alerts.values()) && answered(commands)
                        || elapsedMs > timeoutMs) {
                    break;
                }
                // the workload, at the rate, stamped now
                long due = (long) ((System.nanoTime() - startNanos) / 1e9 * rate);
                if (published >= due) {
                    LockSupport.parkNanos(200_000);
                } else {
                    Instant now = Instant.now();
                    while (published < due) {
                        if (i == events.size()) {
                            i = 0;
                            cycle++;
                        }
                        WorkflowEvent e = restamped(events.get(i++), cycle, now);
                        send(producer, Topics.WORKFLOW_EVENTS, e.runId(), Json.bytes(e));
                        published++;
                        if (i % 997 == 0 && !broken.isEmpty()) {
                            byte[] b = broken.get(brokenAt++ % broken.size());
                            send(producer, Topics.WORKFLOW_EVENTS, "broken", b);
                        }
                    }
                }
                if (System.currentTimeMillis() >= nextProgress) {
                    nextProgress += PROGRESS_EVERY.toMillis();
                    log.accept(
                            String.format(
                                    "live: %,d events published in %d s; %d of %d probe actions"
                                            + " alerted, %d of %d external events commanded",
                                    published,
                                    (System.currentTimeMillis() - startMs) / 1000,
                                    count(alerts.values()),
                                    nextAction,
                                    count(commands),
                                    nextExternal));
                }
            }
        } finally {
            stop.set(true);
            reader.join(TimeUnit.SECONDS.toMillis(10));
        }
        for (Probe x : alerts.values()) {
            long beyondMs = x.answeredMs - x.publishedMs - outOfOrderness.toMillis();
            if (x.answeredMs >= 0 && beyondMs > SLOW_ALERT_BEYOND.toMillis()) {
                // the probe is stamped at its publication, so this is how long after the watermark
                // passed a bucket's end (the forecasts, the planner) and a minute's end (the
                // per-minute windows and their history rows) it passed the probe
                log.accept(
                        String.format(
                                "slow alert: %s published %s, %.3f s beyond the out-of-orderness;"
                                        + " stamped %.1f s after its forecast bucket's start,"
                                        + " %.1f s after its minute's",
                                x.match,
                                Instant.ofEpochMilli(x.publishedMs),
                                beyondMs / 1000.0,
                                x.publishedMs % bucket.toMillis() / 1000.0,
                                x.publishedMs % 60_000 / 1000.0));
            }
        }
        List<Probe> answeredCommands = commands.stream().filter(x -> x.answeredMs >= 0).toList();
        for (Probe x : answeredCommands) {
            if (x.answeredMs - x.publishedMs > SLOW_COMMAND.toMillis()) {
                log.accept(
                        String.format(
                                "slow command: %s... published %s, first cited by %s issued %s,"
                                        + " %.3f s after publication",
                                x.match,
                                Instant.ofEpochMilli(x.publishedMs),
                                x.answeredBy,
                                Instant.ofEpochMilli(x.issuedMs),
                                (x.answeredMs - x.publishedMs) / 1000.0));
            }
        }
        return new Result(
                rate,
                outOfOrderness,
                bucket,
                alerts.values().stream()
                        .filter(x -> x.answeredMs >= 0)
                        .mapToLong(x -> x.answeredMs - x.publishedMs)
                        .sorted()
                        .toArray(),
                alerts.size(),
                answeredCommands.stream()
                        .mapToLong(x -> x.answeredMs - x.publishedMs)
                        .sorted()
                        .toArray(),
                answeredCommands.stream()
                        .mapToLong(x -> x.answeredMs - x.issuedMs)
                        .sorted()
                        .toArray(),
                commands.size(),
                published);
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Properties p = stack.kafka().clientProperties();
        p.put("isolation.level", "read_committed");
        KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(Topics.ANOMALIES, Topics.ALLOCATION_COMMANDS)) {
            c.partitionsFor(topic)
                    .forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
        }
        c.assign(partitions);
        c.seekToEnd(partitions);
        partitions.forEach(c::position); // resolve the ends now, before the probes
        return c;
    }

    /** Reads alerts and commands until stopped, marking the probes they answer. */
    private static void read(
            KafkaConsumer<byte[], byte[]> consumer,
            Map<String, Probe> alerts,
            List<Probe> commands,
            AtomicBoolean stop) {
        try (KafkaConsumer<byte[], byte[]> c = consumer) {
            while (!stop.get()) {
                var records = c.poll(Duration.ofMillis(20));
                long now = System.currentTimeMillis();
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    if (r.topic().equals(Topics.ANOMALIES)) {
                        Anomaly a = Json.read(r.value(), Anomaly.class);
                        Probe probe =
                                LatencyProbes.TENANT.equals(a.tenant())
                                        ? alerts.get(a.runId())
                                        : null;
                        if (probe != null && probe.answeredMs < 0) {
                            probe.answeredMs = now;
                        }
                    } else {
                        answer(commands, Json.read(r.value(), AllocationCommand.class), now);
                    }
                }
            }
        }
    }

    /** Marks each external event that {@code c} is the first command to cite. */
    private static void answer(List<Probe> commands, AllocationCommand c, long now) {
        if (c.basis() == null) {
            return;
        }
        for (Probe probe : commands) {
            // read after the probe's publication (the reader starts at the topics' ends), a command
            // citing its (type, kind), which no other event has, is caused by it: a revision
            // issued at its signing, or a plan of an origin before or after it that used it
            if (probe.answeredMs < 0
                    && probe.pool.equals(c.pool())
                    && now >= probe.publishedMs
                    && c.basis().events().stream().anyMatch(e -> e.startsWith(probe.match))) {
                probe.issuedMs = c.issuedAt().toEpochMilli();
                probe.answeredBy = c.commandId();
                probe.answeredMs = now;
            }
        }
    }

    private static boolean answered(Collection<Probe> probes) {
        return count(probes) == probes.size();
    }

    private static int count(Collection<Probe> probes) {
        return (int) probes.stream().filter(p -> p.answeredMs >= 0).count();
    }

    /** External event {@code n}: doubles {@code type}'s demand from now for half an hour. */
    private static byte[] signed(
            ExternalEventSigner signer, String tenant, String type, ExternalEventKind kind, int n)
            throws Rejected {
        Instant now = Instant.now();
        ExternalEvent e =
                new ExternalEvent(
                        "bench-latency-" + n,
                        tenant,
                        "bench",
                        kind.wireName(),
                        now,
                        now.plus(EFFECT),
                        MAGNITUDE,
                        List.of(type),
                        null);
        return ExternalEventSigner.record(signer.sign(e));
    }

    /** {@code e} of the {@code cycle}-th pass over the workload, stamped {@code now}. */
    private static WorkflowEvent restamped(WorkflowEvent e, int cycle, Instant now) {
        String prefix = "live" + cycle + "-";
        return new WorkflowEvent(
                prefix + e.eventId(),
                e.type(),
                now,
                e.tenant(),
                e.workflowType(),
                prefix + e.runId(),
                e.actionType(),
                e.actionId() == null ? null : prefix + e.actionId(),
                e.triggeredBy() == null ? null : prefix + e.triggeredBy(),
                e.attempt(),
                e.metrics(),
                e.security(),
                e.cost(),
                e.attributes());
    }

    private static void send(
            KafkaProducer<byte[], byte[]> producer, String topic, String key, byte[] value) {
        producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value));
    }

    /**
     * The {@code q} quantile (nearest rank, ms) of {@code sent} latencies of which {@code answered}
     * (sorted) came back; an unanswered probe counts as slower than every answered one, so a
     * quantile that falls on one is unknown: NaN.
     */
    public static double quantile(long[] answered, int sent, double q) {
        int rank = (int) Math.ceil(q * sent);
        if (sent == 0 || rank > answered.length) {
            return Double.NaN;
        }
        return answered[Math.max(0, rank - 1)];
    }
}
