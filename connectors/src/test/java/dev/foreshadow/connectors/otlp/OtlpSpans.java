package dev.foreshadow.connectors.otlp;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Spans of a workflow run made by the OpenTelemetry SDK, and the two encodings in which the
 * Collector's Kafka exporter writes an {@code ExportTraceServiceRequest} of them: the SDK's own
 * OTLP marshaler writes the same protobuf and OTLP/JSON.
 */
public final class OtlpSpans implements AutoCloseable {

    private final InMemorySpanExporter exported = InMemorySpanExporter.create();
    private final SdkTracerProvider provider;
    private final Tracer tracer;

    /** Spans of a service of tenant {@code tenant} (a resource attribute). */
    public OtlpSpans(String tenant) {
        provider =
                SdkTracerProvider.builder()
                        .setResource(
                                Resource.getDefault()
                                        .merge(
                                                Resource.create(
                                                        Attributes.of(
                                                                AttributeKey.stringKey("tenant.id"),
                                                                tenant))))
                        .addSpanProcessor(SimpleSpanProcessor.create(exported))
                        .build();
        tracer = provider.get("foreshadow-test");
    }

    /** A root span: the run of {@code workflowType} from {@code start} to {@code end}. */
    public Span run(String workflowType, Instant start, SpanContext triggeredBy) {
        var b =
                tracer.spanBuilder("RunWorkflow")
                        .setNoParent()
                        .setStartTimestamp(start.toEpochMilli(), TimeUnit.MILLISECONDS)
                        .setAttribute("workflow.type", workflowType);
        if (triggeredBy != null) {
            b.addLink(triggeredBy);
        }
        return b.startSpan();
    }

    /** An action span of {@code run}, ended at once with {@code attributes}. */
    public Span action(
            Span run,
            String workflowType,
            String actionType,
            Instant start,
            Instant end,
            boolean failed,
            Attributes attributes) {
        Span s =
                tracer.spanBuilder(actionType)
                        .setParent(Context.root().with(run))
                        .setStartTimestamp(start.toEpochMilli(), TimeUnit.MILLISECONDS)
                        .setAttribute("workflow.type", workflowType)
                        .setAllAttributes(attributes)
                        .startSpan();
        if (failed) {
            s.setStatus(StatusCode.ERROR, "failed");
        }
        s.end(end.toEpochMilli(), TimeUnit.MILLISECONDS);
        return s;
    }

    /** A span of no workflow (an HTTP call of some other service). */
    public void unrelated(Instant at) {
        tracer.spanBuilder("GET /health")
                .setNoParent()
                .setStartTimestamp(at.toEpochMilli(), TimeUnit.MILLISECONDS)
                .startSpan()
                .end(at.plusMillis(5).toEpochMilli(), TimeUnit.MILLISECONDS);
    }

    /** Every span ended so far, and forgets them. */
    public List<SpanData> drain() {
        List<SpanData> spans = List.copyOf(exported.getFinishedSpanItems());
        exported.reset();
        return spans;
    }

    /** The {@code otlp_proto} encoding of {@code spans}. */
    public static byte[] proto(List<SpanData> spans) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            TraceRequestMarshaler.create(spans).writeBinaryTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The {@code otlp_json} encoding of {@code spans}. */
    public static byte[] json(List<SpanData> spans) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            TraceRequestMarshaler.create(spans).writeJsonTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        provider.close();
    }
}
