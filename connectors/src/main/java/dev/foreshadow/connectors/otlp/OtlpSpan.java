package dev.foreshadow.connectors.otlp;

import java.util.List;
import java.util.Map;

/**
 * One span of an OTLP trace export, with what the mapping to workflow events reads of it.
 *
 * @param parentSpanId empty for a root span
 * @param attributes the span's attributes over its resource's (the span's win): strings, longs,
 *     doubles, booleans, or lists of those
 * @param linkedTraceIds the traces this span links to (a run started by another run links to it)
 */
record OtlpSpan(
        String traceId,
        String spanId,
        String parentSpanId,
        String name,
        long startNanos,
        long endNanos,
        boolean error,
        Map<String, Object> attributes,
        List<String> linkedTraceIds) {

    boolean isRoot() {
        return parentSpanId.isEmpty();
    }
}
