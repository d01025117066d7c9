package dev.foreshadow.jobs.demo;

import dev.foreshadow.connectors.external.ExternalEventSigner;
import dev.foreshadow.connectors.json.Json;
import dev.foreshadow.connectors.json.Rejected;
import dev.foreshadow.connectors.kafka.Topics;
import dev.foreshadow.connectors.records.ExternalEvent;
import dev.foreshadow.connectors.records.SignedEnvelope;
import dev.foreshadow.connectors.signing.KeyRing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The demo's external events. Input: the workload's campaigns, the Kafka client settings, the key
 * file the demo made ({@link #writeKeyFile}). Output: on {@code external-events}, each campaign
 * signed by {@link ExternalEventSigner} (the signer of {@code ./foreshadow sign}) when the replay
 * reaches its announcement (a day of trace time before it starts), and beside the first a replayed
 * copy (the same signed bytes again) and beside the second a forged one (its body changed after
 * signing), which the job must dead-letter.
 *
 * <p>Each record is signed just before it is sent: the job judges its age against the broker's
 * append time, which is the wall clock, not the trace's. Each campaign and its copy go to different
 * partitions, so that from the first announcement (before the first workflow event) every partition
 * of the topic has a record and its watermark, and the history's event time drives the forecast.
 */
final class ExternalEventFeed implements AutoCloseable {

    /** The id of the demo's key: it signs events of the demo's tenant only. */
    static final String KEY_ID = "demo-campaigns";

    private static final int SECRET_BYTES = 32;

    private final KafkaProducer<byte[], byte[]> producer;
    private final ExternalEventSigner signer;
    private final Deque<DemoWorkload.Campaign> waiting;
    private final int partitions;

    /** Campaigns published so far. */
    private int published;

    /** Records sent so far. */
    private int sent;

    ExternalEventFeed(Properties kafka, Path keyFile, List<DemoWorkload.Campaign> campaigns) {
        KeyRing keys = KeyRing.read(keyFile, "external-events.key-file");
        this.signer = new ExternalEventSigner(keys.key(KEY_ID), InstantSource.system());
        this.waiting =
                new ArrayDeque<>(
                        campaigns.stream()
                                .sorted(Comparator.comparing(DemoWorkload.Campaign::announcedAt))
                                .toList());
        Properties p = new Properties();
        p.putAll(kafka);
        p.putIfAbsent("acks", "all");
        p.putIfAbsent("max.block.ms", "30000");
        this.producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        this.partitions = producer.partitionsFor(Topics.EXTERNAL_EVENTS).size();
    }

    /**
     * Writes a fresh random key for {@link #KEY_ID} and {@code tenant} to {@code file}, readable by
     * its owner only (0600), and returns the file. The secret is never printed.
     */
    static Path writeKeyFile(Path file, String tenant) throws IOException {
        byte[] secret = new byte[SECRET_BYTES];
        new SecureRandom().nextBytes(secret);
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        Files.createFile(
                file,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, KeyRing.line(KEY_ID, tenant, secret) + "\n");
        return file;
    }

    /** Publishes every campaign announced by {@code traceTime} that was not published yet. */
    void publishDue(Instant traceTime) {
        while (!waiting.isEmpty() && !waiting.peekFirst().announcedAt().isAfter(traceTime)) {
            DemoWorkload.Campaign c = waiting.pollFirst();
            byte[] signed = sign(c);
            send(signed);
            // the first campaign is sent twice (a replay), the next once more with a forged body
            send(published == 0 ? signed : forged(signed));
            published++;
        }
    }

    /** Records sent so far: the signed campaigns and their copies. */
    int recordsSent() {
        return sent;
    }

    private byte[] sign(DemoWorkload.Campaign c) {
        try {
            return ExternalEventSigner.record(signer.sign(event(c, c.magnitude())));
        } catch (Rejected e) {
            throw new IllegalStateException(
                    "the demo's campaign " + c.eventId() + ": " + e.getMessage(), e);
        }
    }

    private static ExternalEvent event(DemoWorkload.Campaign c, double magnitude) {
        return new ExternalEvent(
                c.eventId(),
                DemoWorkload.TENANT,
                "demo-crm",
                "campaign",
                c.start(),
                c.end(),
                magnitude,
                List.of(c.workflowType()),
                c.announcedAt());
    }

    /** The signed record with a body claiming ten times the magnitude, under the same signature. */
    private static byte[] forged(byte[] signed) {
        SignedEnvelope s = Json.read(signed, SignedEnvelope.class);
        ExternalEvent e = Json.read(s.body().getBytes(StandardCharsets.UTF_8), ExternalEvent.class);
        String body =
                Json.string(
                        new ExternalEvent(
                                e.eventId(),
                                e.tenant(),
                                e.source(),
                                e.kind(),
                                e.start(),
                                e.end(),
                                10 * e.magnitude(),
                                e.workflowTypes(),
                                e.announcedAt()));
        return Json.bytes(
                new SignedEnvelope(s.keyId(), s.timestamp(), s.nonce(), s.signature(), body));
    }

    private void send(byte[] record) {
        int partition = sent % partitions;
        try {
            producer.send(new ProducerRecord<>(Topics.EXTERNAL_EVENTS, partition, null, record))
                    .get();
            sent++;
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "Kafka did not take an external event: " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("publishing external events was interrupted", e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
