package dev.foreshadow.connectors.otlp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.foreshadow.connectors.json.Json;
import dev.foreshadow.connectors.records.EventType;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which span attributes carry what foreshadow needs, and the mapping of one span to workflow events
 * in foreshadow's own JSON (so that the event decoder validates them as it validates every event).
 *
 * <p>A span with a workflow type (on the span or its resource) is part of a workflow run: a root
 * span is the run itself ({@code WORKFLOW_STARTED} at its start, {@code WORKFLOW_FINISHED} at its
 * end), a span with a parent is one of its actions ({@code ACTION_STARTED}, then {@code
 * ACTION_FINISHED}, or {@code ACTION_FAILED} when the span's status is an error, with the resource
 * metrics the span's attributes report). The run id is the run-id attribute, else the trace id; a
 * run started by another links to that run's trace ({@code triggeredBy}). Other spans are not
 * workflow spans and are skipped. Event ids are derived from the span id, so an export replayed is
 * deduplicated like any event.
 */
public record SpanMapping(
        String workflowType,
        String runId,
        String actionType,
        String tenant,
        String attempt,
        String triggeredBy,
        String cpuSeconds,
        String peakCores,
        String peakMemoryBytes,
        String networkInBytes,
        String networkOutBytes,
        String bytesRead,
        String bytesWritten,
        String encryption,
        String certifications,
        String costAmount,
        String costCurrency)
        implements Serializable {

    /** The attribute names of {@link OtlpOptions}' defaults. */
    public static final SpanMapping DEFAULT =
            new SpanMapping(
                    "workflow.type",
                    "workflow.run.id",
                    "workflow.action.type",
                    "tenant.id",
                    "workflow.action.attempt",
                    "workflow.triggered_by",
                    "foreshadow.cpu_seconds",
                    "foreshadow.peak_cores",
                    "foreshadow.peak_memory_bytes",
                    "http.response.body.size",
                    "http.request.body.size",
                    "foreshadow.bytes_read",
                    "foreshadow.bytes_written",
                    "tls.protocol.version",
                    "foreshadow.certifications",
                    "foreshadow.cost.amount",
                    "foreshadow.cost.currency");

    /** Whether {@code span} belongs to a workflow run (it or its resource names a type). */
    boolean isWorkflowSpan(OtlpSpan span) {
        return span.attributes().get(workflowType) instanceof String s && !s.isBlank();
    }

    /** The events of one workflow span, start first, as foreshadow's JSON. */
    List<byte[]> events(OtlpSpan span) {
        Map<String, Object> a = span.attributes();
        boolean run = span.isRoot();
        String id = "otlp:" + span.spanId();
        ObjectNode start = common(span, id + ":start", span.startNanos());
        ObjectNode end = common(span, id + ":end", span.endNanos());
        if (run) {
            start.put("type", EventType.WORKFLOW_STARTED.name());
            end.put("type", EventType.WORKFLOW_FINISHED.name());
            Object trigger =
                    a.getOrDefault(
                            triggeredBy, span.linkedTraceIds().stream().findFirst().orElse(null));
            if (trigger != null) {
                start.put("triggeredBy", trigger.toString());
                end.put("triggeredBy", trigger.toString());
            }
        } else {
            start.put("type", EventType.ACTION_STARTED.name());
            end.put(
                    "type",
                    span.error()
                            ? EventType.ACTION_FAILED.name()
                            : EventType.ACTION_FINISHED.name());
            for (ObjectNode e : List.of(start, end)) {
                e.put("actionType", text(a.getOrDefault(actionType, span.name())));
                e.put("actionId", span.spanId());
                if (a.containsKey(attempt)) {
                    e.set("attempt", Json.MAPPER.valueToTree(a.get(attempt)));
                }
            }
            ObjectNode metrics = end.putObject("metrics");
            metrics.put(
                    "durationMs",
                    Math.max(0, Math.round((span.endNanos() - span.startNanos()) / 1e6)));
            metric(metrics, "cpuSeconds", a.get(cpuSeconds));
            metric(metrics, "peakCores", a.get(peakCores));
            metric(metrics, "peakMemoryBytes", a.get(peakMemoryBytes));
            metric(metrics, "networkInBytes", a.get(networkInBytes));
            metric(metrics, "networkOutBytes", a.get(networkOutBytes));
            metric(metrics, "bytesRead", a.get(bytesRead));
            metric(metrics, "bytesWritten", a.get(bytesWritten));
            ObjectNode security = end.putObject("security");
            if (a.get(encryption) != null) {
                security.put("encryption", "TLS" + text(a.get(encryption)));
            }
            if (a.get(certifications) != null) {
                security.set("certifications", Json.MAPPER.valueToTree(a.get(certifications)));
            }
            if (a.get(costAmount) != null) {
                ObjectNode cost = end.putObject("cost");
                cost.set("amount", Json.MAPPER.valueToTree(a.get(costAmount)));
                cost.put("currency", text(a.getOrDefault(costCurrency, "USD")));
            }
        }
        List<byte[]> out = new ArrayList<>(2);
        out.add(Json.bytes(start));
        out.add(Json.bytes(end));
        return out;
    }

    private ObjectNode common(OtlpSpan span, String eventId, long nanos) {
        Map<String, Object> a = span.attributes();
        ObjectNode e = Json.MAPPER.createObjectNode();
        e.put("eventId", eventId);
        e.put("time", Instant.ofEpochSecond(0, nanos).toString());
        if (a.get(tenant) != null) {
            e.put("tenant", text(a.get(tenant)));
        }
        e.put("workflowType", text(a.get(workflowType)));
        e.put("runId", text(a.getOrDefault(runId, span.traceId())));
        ObjectNode attributes = e.putObject("attributes");
        Set<String> mapped = mapped();
        a.forEach(
                (k, v) -> {
                    if (!mapped.contains(k) && !(v instanceof List<?>)) {
                        attributes.put(k, v.toString());
                    }
                });
        return e;
    }

    /**
     * A metric as the span reported it: the decoder rejects one that is not a number, naming it.
     */
    private static void metric(ObjectNode metrics, String field, Object value) {
        if (value != null) {
            metrics.set(field, Json.MAPPER.valueToTree(value));
        }
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    private Set<String> mapped() {
        return new HashSet<>(
                List.of(
                        workflowType,
                        runId,
                        actionType,
                        tenant,
                        attempt,
                        triggeredBy,
                        cpuSeconds,
                        peakCores,
                        peakMemoryBytes,
                        networkInBytes,
                        networkOutBytes,
                        bytesRead,
                        bytesWritten,
                        encryption,
                        certifications,
                        costAmount,
                        costCurrency));
    }
}
