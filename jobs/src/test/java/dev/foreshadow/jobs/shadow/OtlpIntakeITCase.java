package dev.foreshadow.jobs.shadow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foreshadow.connectors.embedded.EmbeddedStack;
import dev.foreshadow.connectors.history.Migrations;
import dev.foreshadow.connectors.kafka.Topics;
import dev.foreshadow.connectors.otlp.OtlpSpans;
import dev.foreshadow.jobs.StackReads;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spans made by the OpenTelemetry SDK, written to {@code workflow-events} as the Collector's Kafka
 * exporter writes them ({@code otlp_proto} and {@code otlp_json}), shadowed by ShadowJob on a
 * MiniCluster into a real PostgreSQL, beside foreshadow's own JSON events.
 */
class OtlpIntakeITCase {

    private static final Instant T0 =
            Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MINUTES);

    @Test
    @Timeout(180)
    void spansFromBothOtlpEncodingsArriveInHistoryAsRunsAndActions(@TempDir Path dir)
            throws Exception {
        List<byte[]> records = new ArrayList<>();
        try (OtlpSpans otel = new OtlpSpans("shop")) {
            records.add(OtlpSpans.proto(run(otel, "order-fulfilment", T0)));
            records.add(OtlpSpans.json(run(otel, "refund", T0.plusSeconds(30))));
        }
        try (EmbeddedStack stack = EmbeddedStack.start(dir.resolve("stack"))) {
            stack.createTopics(Topics.ALL, 2);
            try (Connection c = stack.postgres().connect()) {
                Migrations.apply(c);
            }
            try (KafkaProducer<byte[], byte[]> producer =
                    new KafkaProducer<>(
                            stack.kafka().clientProperties(),
                            new ByteArraySerializer(),
                            new ByteArraySerializer())) {
                for (byte[] r : records) {
                    producer.send(new ProducerRecord<>(Topics.WORKFLOW_EVENTS, r)).get();
                }
            }
            Map<String, String> settings = new HashMap<>(SavepointRuns.stackSettings(stack));
            settings.put("history.flush-interval", "200 ms");
            settings.put("shadow.completion-grace", "5 s");
            settings.put("watermark.out-of-orderness", "5 s");
            settings.put("watermark.idleness", "60 s");
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(
                            SavepointRuns.flinkConf(dir, null));
            env.setParallelism(2);
            env.enableCheckpointing(300);
            ShadowJob.of(ShadowSettings.from(ShadowSettings.load(null, settings))).build(env);
            JobClient job = env.executeAsync(ShadowJob.NAME);
            SavepointRuns.awaitConsumed(stack, job);
            // drain: the final watermark ends the runs' grace, so their summaries are written
            job.stopWithSavepoint(
                            true,
                            dir.resolve("savepoints").toUri().toString(),
                            SavepointFormatType.CANONICAL)
                    .get();
            job.getJobExecutionResult().get();

            assertThat(
                            StackReads.rows(
                                    stack,
                                    "SELECT workflow_type || ':' || action_type || ':' || failed || ':' || duration_ms"
                                            + " FROM action_samples ORDER BY 1"))
                    .containsExactly(
                            "order-fulfilment:charge-card:false:812",
                            "order-fulfilment:ship:true:1000",
                            "refund:charge-card:false:812",
                            "refund:ship:true:1000");
            assertThat(
                            StackReads.rows(
                                    stack,
                                    "SELECT workflow_type || ':' || status || ':' || actions || ':' || failed_actions"
                                            + " FROM workflow_runs ORDER BY 1"))
                    .containsExactly("order-fulfilment:COMPLETED:2:1", "refund:COMPLETED:2:1");
            assertThat(StackReads.rows(stack, "SELECT DISTINCT tenant FROM workflow_runs"))
                    .containsExactly("shop");
        }
    }

    /** A run of {@code type}: a charge that succeeds in 812 ms, a shipment that fails. */
    private static List<SpanData> run(OtlpSpans otel, String type, Instant start) {
        Span run = otel.run(type, start, null);
        otel.action(
                run,
                type,
                "charge-card",
                start.plusSeconds(1),
                start.plusMillis(1812),
                false,
                Attributes.builder().put("foreshadow.cpu_seconds", 0.41).build());
        otel.action(
                run,
                type,
                "ship",
                start.plusSeconds(2),
                start.plusSeconds(3),
                true,
                Attributes.empty());
        run.end(start.plusSeconds(4).toEpochMilli(), TimeUnit.MILLISECONDS);
        return otel.drain();
    }
}
