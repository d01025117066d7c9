package dev.foreshadow.jobs.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.foreshadow.connectors.json.Json;
import dev.foreshadow.connectors.kafka.KafkaSettings;
import dev.foreshadow.jobs.common.ProgressBars;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import me.tongfei.progressbar.ProgressBar;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The one publisher of workflow events, shared by {@code foreshadow publish} and the demo's replay.
 * Input: records in publishing order (from a WfCommons trace turned into runs, or a file of JSON
 * lines), each with its event time and Kafka key (the run id). Output: the records on a Kafka
 * topic, unchanged, paced so that event time runs {@code speed} times faster than the wall clock
 * (or as fast as the broker takes them), with progress on standard error. Nothing is filtered: a
 * line that is not a valid event is published as it is, and the job dead-letters it with its
 * reason.
 */
public final class Publisher {

    /** What was published and how long it took. */
    public record Result(long published, long withoutTime, Duration took) {}

    /** Records to publish, in publishing order. */
    public static final class Events {
        private final List<DemoWorkload.Record> records;
        private final int actionEnds;

        Events(List<DemoWorkload.Record> records, int actionEnds) {
            this.records = List.copyOf(records);
            this.actionEnds = actionEnds;
        }

        public int size() {
            return records.size();
        }

        /**
         * Distinct valid events among them that end an action, the samples a job stores from them;
         * -1 when not known (a file, which only the job validates).
         */
        public int actionEnds() {
            return actionEnds;
        }
    }

    private Publisher() {}

    /**
     * The demo's workload from WfCommons traces in {@code dir} (the bundled trace when null): runs
     * arriving over {@code days} days that end three hours before now, as {@code foreshadow demo}
     * makes them, without its campaigns.
     */
    public static Events trace(Path dir, int days, double runsPerHour, long seed)
            throws IOException {
        List<WfTrace.Template> templates = dir == null ? WfTrace.bundled() : WfTrace.read(dir);
        if (templates.isEmpty()) {
            throw new IllegalArgumentException(
                    "--trace " + dir + " holds no WfCommons (WfFormat) .json file");
        }
        Instant end = Demo.traceEnd(Instant.now());
        // the demo's runs without its campaigns: publish sends no external events to announce them
        DemoWorkload.Workload w =
                DemoWorkload.generate(
                        templates, end.minus(Duration.ofDays(days)), end, seed, runsPerHour);
        return new Events(w.records(), w.actionEnds());
    }

    /**
     * The lines of a file of workflow events (JSON, one a line; blank lines skipped), each keyed by
     * its {@code runId} and timed by its {@code time} where they can be read; a line where they
     * cannot is still published (the job dead-letters it), right after the line before it.
     */
    public static Events jsonLines(Path file) throws IOException {
        List<DemoWorkload.Record> records = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode event = parse(line);
                records.add(
                        new DemoWorkload.Record(
                                time(event), runId(event), line.getBytes(StandardCharsets.UTF_8)));
            }
        }
        return new Events(records, -1);
    }

    /**
     * Publishes {@code records} to {@code topic}, paced at {@code speed} event-time seconds per
     * second (0: as fast as possible), with a progress bar named {@code task}.
     */
    public static Result publish(
            KafkaSettings kafka, String topic, Events events, double speed, String task) {
        List<DemoWorkload.Record> records = events.records;
        Instant first =
                records.stream()
                        .map(DemoWorkload.Record::time)
                        .filter(t -> t != null)
                        .findFirst()
                        .orElse(Instant.EPOCH);
        ReplayClock clock = speed > 0 ? new ReplayClock(first, speed) : null;
        return publish(kafka.clientProperties(), topic, records, clock, task, t -> {});
    }

    /**
     * Publishes on {@code clock} (null: unpaced), which starts now unless it runs already; the demo
     * shares it with the simulated pools. {@code due} is told the event time of each record just
     * before it is sent (the demo publishes its external events from it).
     */
    static Result publish(
            Properties kafka,
            String topic,
            List<DemoWorkload.Record> records,
            ReplayClock clock,
            String task,
            Consumer<Instant> due) {
        long began = System.nanoTime();
        AtomicReference<Exception> failure = new AtomicReference<>();
        AtomicLong acknowledged = new AtomicLong();
        long withoutTime = 0;
        Properties p = new Properties();
        p.putAll(kafka);
        p.putIfAbsent("acks", "all");
        p.putIfAbsent("linger.ms", "20");
        // a broker that is away or a topic that is missing ends the publishing within a minute
        p.putIfAbsent("max.block.ms", "30000");
        p.putIfAbsent("delivery.timeout.ms", "60000");
        if (clock != null) {
            clock.start();
        }
        try (KafkaProducer<byte[], byte[]> producer =
                        new KafkaProducer<>(
                                p, new ByteArraySerializer(), new ByteArraySerializer());
                ProgressBar bar = ProgressBars.of(task, records.size(), " events")) {
            for (DemoWorkload.Record r : records) {
                if (failure.get() != null) {
                    break;
                }
                if (r.time() == null) {
                    withoutTime++;
                } else if (clock != null) {
                    long wait = clock.dueNanos(r.time()) - clock.elapsedNanos();
                    if (wait > 1_000_000) {
                        producer.flush();
                        Thread.sleep(wait / 1_000_000);
                    }
                }
                if (r.time() != null) {
                    due.accept(r.time());
                }
                producer.send(
                        new ProducerRecord<>(
                                topic,
                                r.key() == null ? null : r.key().getBytes(StandardCharsets.UTF_8),
                                r.value()),
                        (metadata, e) -> {
                            if (e != null) {
                                failure.compareAndSet(null, e);
                            } else {
                                acknowledged.incrementAndGet();
                            }
                        });
                bar.step();
                if (r.time() != null) {
                    bar.setExtraMessage(" event time " + r.time().truncatedTo(ChronoUnit.MINUTES));
                }
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("publishing to " + topic + " was interrupted", e);
        }
        if (failure.get() != null) {
            throw new IllegalStateException(
                    "Kafka did not take an event for "
                            + topic
                            + " ("
                            + failure.get().getMessage()
                            + "); "
                            + acknowledged.get()
                            + " were published before it",
                    failure.get());
        }
        return new Result(
                acknowledged.get(), withoutTime, Duration.ofNanos(System.nanoTime() - began));
    }

    /** The event's time, or null when the line is not JSON or has no readable time. */
    private static Instant time(JsonNode event) {
        JsonNode time = event == null ? null : event.get("time");
        if (time == null || !time.isTextual()) {
            return null;
        }
        try {
            return Instant.parse(time.asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String runId(JsonNode event) {
        JsonNode run = event == null ? null : event.get("runId");
        return run != null && run.isTextual() ? run.asText() : null;
    }

    private static JsonNode parse(String line) {
        try {
            return Json.MAPPER.readTree(line);
        } catch (IOException e) {
            return null;
        }
    }
}
