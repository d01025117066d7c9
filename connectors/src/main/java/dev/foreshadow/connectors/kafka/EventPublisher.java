package dev.foreshadow.connectors.kafka;

import dev.foreshadow.connectors.json.Json;
import dev.foreshadow.connectors.records.WorkflowEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes workflow events to {@code workflow-events} for an engine's process without ever slowing
 * it: {@link #publish} puts the event in a bounded queue and returns at once; a daemon thread sends
 * from the queue to Kafka, keyed by run (one run, one partition, in order). When the queue is full
 * (Kafka slow or away), the event is dropped and counted ({@link #dropped()}), and a send that
 * fails is counted too ({@link #failed()}); the engine's own work never waits on either.
 */
public final class EventPublisher implements AutoCloseable {

    private static final WorkflowEvent STOP =
            new WorkflowEvent(
                    "stop", null, null, null, null, null, null, null, null, null, null, null, null,
                    null);

    private final BlockingQueue<WorkflowEvent> queue;
    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final Thread sender;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    /**
     * @param kafka client properties, bootstrap servers included (TLS and SASL settings too)
     * @param capacity events the queue holds before it drops
     */
    public EventPublisher(Properties kafka, String topic, int capacity) {
        this(
                new KafkaProducer<>(
                        withDefaults(kafka), new ByteArraySerializer(), new ByteArraySerializer()),
                topic,
                capacity);
    }

    EventPublisher(Producer<byte[], byte[]> producer, String topic, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.producer = producer;
        this.topic = topic;
        this.sender = new Thread(this::send, "foreshadow-event-publisher");
        sender.setDaemon(true);
        sender.start();
    }

    /** Queues {@code event} for Kafka; never blocks. False when the queue was full (dropped). */
    public boolean publish(WorkflowEvent event) {
        if (queue.offer(event)) {
            return true;
        }
        dropped.incrementAndGet();
        return false;
    }

    /** Events handed to Kafka so far. */
    public long published() {
        return published.get();
    }

    /** Events dropped because the queue was full. */
    public long dropped() {
        return dropped.get();
    }

    /** Events Kafka did not take. */
    public long failed() {
        return failed.get();
    }

    private void send() {
        while (true) {
            WorkflowEvent e;
            try {
                e = queue.take();
            } catch (InterruptedException ie) {
                return;
            }
            if (e == STOP) {
                return;
            }
            try {
                producer.send(
                        new ProducerRecord<>(
                                topic, e.runId().getBytes(StandardCharsets.UTF_8), Json.bytes(e)),
                        (metadata, error) -> {
                            if (error == null) {
                                published.incrementAndGet();
                            } else {
                                failed.incrementAndGet();
                            }
                        });
            } catch (RuntimeException error) {
                failed.incrementAndGet();
            }
        }
    }

    /**
     * Sends what is queued, waiting at most about {@code timeout} for Kafka (what is still queued
     * then is dropped), and closes the producer.
     */
    public void close(Duration timeout) {
        try {
            if (!queue.offer(STOP, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                sender.interrupt(); // Kafka is away and the queue full: give up what is left
            }
            sender.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(timeout);
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }

    private static Properties withDefaults(Properties kafka) {
        Properties p = new Properties();
        p.put("acks", "all");
        p.put("linger.ms", "20");
        // a send that cannot reach Kafka gives up rather than hold the sender forever
        p.put("max.block.ms", Long.toString(TimeUnit.SECONDS.toMillis(10)));
        p.putAll(kafka);
        return p;
    }
}
