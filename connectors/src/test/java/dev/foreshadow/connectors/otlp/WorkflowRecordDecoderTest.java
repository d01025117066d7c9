package dev.foreshadow.connectors.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foreshadow.connectors.json.Decoded;
import dev.foreshadow.connectors.json.EventDecoder;
import dev.foreshadow.connectors.privacy.AttributePolicy;
import dev.foreshadow.connectors.records.EventType;
import dev.foreshadow.connectors.records.WorkflowEvent;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WorkflowRecordDecoderTest {

    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    private static final Instant T0 = NOW.minus(Duration.ofMinutes(30));
    private static final WorkflowRecordDecoder DECODER =
            new WorkflowRecordDecoder(
                    new EventDecoder(
                            AttributePolicy.defaults(),
                            Duration.ofHours(1),
                            Duration.ofDays(180),
                            InstantSource.fixed(NOW)),
                    SpanMapping.DEFAULT);

    private final OtlpSpans otel = new OtlpSpans("shop");

    @AfterEach
    void closeTracer() {
        otel.close();
    }

    /** A run with a finished and a failed action, beside a span of no workflow. */
    private List<SpanData> orderRun() {
        Span run = otel.run("order-fulfilment", T0, null);
        otel.action(
                run,
                "order-fulfilment",
                "charge-card",
                T0.plusSeconds(1),
                T0.plusMillis(1812),
                false,
                Attributes.builder()
                        .put("foreshadow.cpu_seconds", 0.41)
                        .put("foreshadow.peak_memory_bytes", 268_435_456L)
                        .put("http.request.body.size", 9120L)
                        .put("http.response.body.size", 18_234L)
                        .put("tls.protocol.version", "1.3")
                        .put(
                                AttributeKey.stringArrayKey("foreshadow.certifications"),
                                List.of("PCI-DSS"))
                        .put("region", "eu-west-1")
                        .put("customerEmail", "jane@example.com")
                        .build());
        otel.action(
                run,
                "order-fulfilment",
                "ship",
                T0.plusSeconds(3),
                T0.plusSeconds(4),
                true,
                Attributes.empty());
        otel.unrelated(T0);
        run.end(T0.plusSeconds(5).toEpochMilli(), java.util.concurrent.TimeUnit.MILLISECONDS);
        return otel.drain();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"otlp_proto", "otlp_json"})
    void aRunsSpansBecomeItsWorkflowEventsAndOtherSpansAreSkipped(String encoding) {
        List<SpanData> spans = orderRun();
        byte[] record =
                encoding.equals("otlp_proto") ? OtlpSpans.proto(spans) : OtlpSpans.json(spans);

        List<Decoded<WorkflowEvent>> out = new ArrayList<>();
        int skipped = DECODER.decode(record, "workflow-events/0@7", NOW, out::add);

        assertThat(skipped).isEqualTo(1);
        assertThat(out).allMatch(Decoded::isValid);
        List<WorkflowEvent> events = out.stream().map(Decoded::value).toList();
        String traceId = spans.get(0).getTraceId();
        assertThat(events)
                .extracting(e -> e.type() + ":" + (e.actionType() == null ? "-" : e.actionType()))
                .containsExactlyInAnyOrder(
                        "WORKFLOW_STARTED:-",
                        "WORKFLOW_FINISHED:-",
                        "ACTION_STARTED:charge-card",
                        "ACTION_FINISHED:charge-card",
                        "ACTION_STARTED:ship",
                        "ACTION_FAILED:ship");
        assertThat(events)
                .allSatisfy(
                        e -> {
                            assertThat(e.tenant()).isEqualTo("shop");
                            assertThat(e.workflowType()).isEqualTo("order-fulfilment");
                            assertThat(e.runId()).isEqualTo(traceId);
                        });
        WorkflowEvent charged = event(events, EventType.ACTION_FINISHED);
        assertThat(charged.time()).isEqualTo(T0.plusMillis(1812));
        assertThat(charged.metrics().durationMs()).isEqualTo(812L);
        assertThat(charged.metrics().cpuSeconds()).isEqualTo(0.41);
        assertThat(charged.metrics().peakMemoryBytes()).isEqualTo(268_435_456L);
        assertThat(charged.metrics().networkInBytes()).isEqualTo(18_234L);
        assertThat(charged.metrics().networkOutBytes()).isEqualTo(9120L);
        assertThat(charged.security().encryption()).isEqualTo("TLS1.3");
        assertThat(charged.security().certifications()).containsExactly("PCI-DSS");
        assertThat(charged.attributes())
                .containsEntry("region", "eu-west-1")
                .doesNotContainKey("customerEmail")
                .doesNotContainKey("foreshadow.cpu_seconds");
        assertThat(event(events, EventType.WORKFLOW_FINISHED).time()).isEqualTo(T0.plusSeconds(5));
    }

    @Test
    void aRunStartedByAnotherLinksToItsTrace() {
        Span parent = otel.run("checkout", T0, null);
        parent.end();
        Span child = otel.run("order-fulfilment", T0.plusSeconds(1), parent.getSpanContext());
        child.end(T0.plusSeconds(2).toEpochMilli(), java.util.concurrent.TimeUnit.MILLISECONDS);
        List<SpanData> spans = otel.drain();

        List<Decoded<WorkflowEvent>> out = new ArrayList<>();
        DECODER.decode(OtlpSpans.proto(spans.subList(1, 2)), "workflow-events/0@8", NOW, out::add);

        assertThat(out)
                .extracting(d -> d.value().triggeredBy())
                .containsOnly(parent.getSpanContext().getTraceId());
    }

    @Test
    void aSpanWhoseMetricIsNotANumberIsADeadLetterNamingTheSpanAndTheField() {
        Span run = otel.run("etl", T0, null);
        otel.action(
                run,
                "load",
                "load",
                T0,
                T0.plusSeconds(1),
                false,
                Attributes.of(AttributeKey.stringKey("foreshadow.cpu_seconds"), "a lot"));
        List<SpanData> spans = otel.drain();
        String spanId = spans.get(0).getSpanId();

        List<Decoded<WorkflowEvent>> out = new ArrayList<>();
        DECODER.decode(OtlpSpans.json(spans), "workflow-events/1@9", NOW, out::add);

        assertThat(out).filteredOn(Decoded::isValid).hasSize(1); // the action's start
        assertThat(out)
                .filteredOn(d -> !d.isValid())
                .singleElement()
                .satisfies(
                        d -> {
                            assertThat(d.deadLetter().reason())
                                    .isEqualTo(
                                            "span "
                                                    + spanId
                                                    + " of trace "
                                                    + spans.get(0).getTraceId()
                                                    + ": metrics.cpuSeconds: expected a number, got a string");
                            assertThat(d.deadLetter().source())
                                    .isEqualTo("workflow-events/1@9 span " + spanId);
                        });
    }

    @Test
    void anExportThatCannotBeReadIsOneDeadLetterKeepingItsBytes() {
        byte[] garbage = {0x0A, (byte) 0xFF, 0x01, 0x02};
        byte[] badJson =
                "{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [{\"startTimeUnixNano\": \"soon\"}]}]}]}"
                        .getBytes(StandardCharsets.UTF_8);

        for (byte[] record : List.of(garbage, badJson)) {
            List<Decoded<WorkflowEvent>> out = new ArrayList<>();
            DECODER.decode(record, "workflow-events/0@1", NOW, out::add);
            assertThat(out)
                    .singleElement()
                    .satisfies(
                            d -> {
                                assertThat(d.isValid()).isFalse();
                                assertThat(d.deadLetter().reason()).startsWith("otlp_");
                                assertThat(d.deadLetter().originalBytes()).isEqualTo(record);
                            });
        }
    }

    @Test
    void foreshadowsOwnJsonEventsStillDecodeAsBefore() {
        byte[] event =
                ("{\"eventId\": \"e1\", \"type\": \"WORKFLOW_STARTED\", \"time\": \""
                                + T0
                                + "\", \"workflowType\": \"etl\", \"runId\": \"r1\"}")
                        .getBytes(StandardCharsets.UTF_8);
        List<Decoded<WorkflowEvent>> out = new ArrayList<>();

        assertThat(DECODER.decode(event, "workflow-events/0@2", NOW, out::add)).isZero();

        assertThat(out)
                .singleElement()
                .satisfies(d -> assertThat(d.value().runId()).isEqualTo("r1"));
    }

    private static WorkflowEvent event(List<WorkflowEvent> events, EventType type) {
        return events.stream().filter(e -> e.type() == type).findFirst().orElseThrow();
    }
}
