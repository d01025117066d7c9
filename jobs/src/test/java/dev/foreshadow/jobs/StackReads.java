package dev.foreshadow.jobs;

import dev.foreshadow.connectors.embedded.EmbeddedStack;
import dev.foreshadow.connectors.json.Json;
import dev.foreshadow.connectors.kafka.Topics;
import dev.foreshadow.connectors.records.DeadLetter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What the end-to-end tests read back from the embedded stack: a topic's values, a query's rows.
 */
public final class StackReads {

    /** How long a read waits, once it has what it expected, to see that no more comes. */
    private static final Duration QUIET = Duration.ofSeconds(2);

    private StackReads() {}

    /**
     * The values on {@code topic} from its start (uncommitted ones too): waits up to {@code within}
     * for {@code expected}, then {@link #QUIET} more, so that a test sees any value too many.
     */
    public static List<byte[]> consume(
            EmbeddedStack stack, String topic, int expected, Duration within) {
        Properties p = stack.kafka().clientProperties();
        p.put("group.id", "test-" + UUID.randomUUID());
        p.put("auto.offset.reset", "earliest");
        List<byte[]> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + within.toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    out.add(r.value());
                }
            }
            consumer.poll(QUIET).forEach(r -> out.add(r.value()));
        }
        return out;
    }

    /** The dead letters on {@code dead-letters}, as {@link #consume} reads them. */
    public static List<DeadLetter> deadLetters(EmbeddedStack stack, int expected, Duration within) {
        return consume(stack, Topics.DEAD_LETTERS, expected, within).stream()
                .map(v -> Json.read(v, DeadLetter.class))
                .toList();
    }

    /**
     * The first column of the rows of {@code sql} in the stack's database, in the query's order.
     */
    public static List<String> rows(EmbeddedStack stack, String sql) throws Exception {
        try (Connection c = stack.postgres().connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }
}
