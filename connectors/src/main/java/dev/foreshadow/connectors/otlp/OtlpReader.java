package dev.foreshadow.connectors.otlp;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.foreshadow.connectors.json.InputLimits;
import dev.foreshadow.connectors.json.JsonInput;
import dev.foreshadow.connectors.json.Rejected;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the spans of an {@code ExportTraceServiceRequest} as the OpenTelemetry Collector's Kafka
 * exporter writes it: {@code otlp_proto} (the request's protobuf bytes) or {@code otlp_json} (its
 * OTLP/JSON encoding: lowerCamelCase fields, ids in hex, 64-bit integers as strings or numbers).
 */
final class OtlpReader {

    private static final HexFormat HEX = HexFormat.of();

    private OtlpReader() {}

    /** The encoding of a record of {@code workflow-events}. */
    enum Encoding {
        /** foreshadow's own JSON event. */
        EVENT_JSON,
        OTLP_JSON,
        OTLP_PROTO;

        /**
         * {@code otlp_json} when the record is a JSON object whose first field is {@code
         * resourceSpans}; {@code otlp_proto} when it does not start as JSON (after whitespace, an
         * opening brace) but as an {@code ExportTraceServiceRequest} (field 1, length-delimited:
         * the byte 0x0A); else foreshadow's JSON, which the event decoder accepts or rejects with
         * its reason. A protobuf export whose first length happens to read as whitespace and a
         * brace is told apart by {@link #read}, which tries protobuf first for any record that
         * starts with 0x0A.
         */
        static Encoding of(byte[] bytes) {
            int i = 0;
            while (i < bytes.length && Character.isWhitespace(bytes[i])) {
                i++;
            }
            if (i < bytes.length && bytes[i] == '{') {
                return startsWith(bytes, i + 1, "\"resourceSpans\"") ? OTLP_JSON : EVENT_JSON;
            }
            return bytes.length > 0 && bytes[0] == 0x0A ? OTLP_PROTO : EVENT_JSON;
        }

        /** Whether a record that looks like JSON is in fact a protobuf export (see {@link #of}). */
        static boolean mayBeProto(byte[] bytes) {
            return bytes.length > 0 && bytes[0] == 0x0A;
        }

        private static boolean startsWith(byte[] bytes, int from, String text) {
            while (from < bytes.length && Character.isWhitespace(bytes[from])) {
                from++;
            }
            byte[] t = text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            if (from + t.length > bytes.length) {
                return false;
            }
            for (int k = 0; k < t.length; k++) {
                if (bytes[from + k] != t[k]) {
                    return false;
                }
            }
            return true;
        }
    }

    /** The spans of a protobuf export, or null when {@code bytes} is not one with spans. */
    static List<OtlpSpan> protoOrNull(byte[] bytes) {
        try {
            List<OtlpSpan> spans = proto(bytes);
            return spans.isEmpty() ? null : spans;
        } catch (Unreadable e) {
            return null;
        }
    }

    /** An export that cannot be read at all; the message says why. */
    static final class Unreadable extends Exception {
        Unreadable(String message) {
            super(message);
        }
    }

    static List<OtlpSpan> read(byte[] bytes, Encoding encoding, InputLimits limits)
            throws Unreadable {
        return encoding == Encoding.OTLP_PROTO ? proto(bytes) : json(bytes, limits);
    }

    private static List<OtlpSpan> proto(byte[] bytes) throws Unreadable {
        ExportTraceServiceRequest request;
        try {
            request = ExportTraceServiceRequest.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new Unreadable(
                    "otlp_proto: not an ExportTraceServiceRequest (" + e.getMessage() + ")");
        }
        List<OtlpSpan> out = new ArrayList<>();
        for (ResourceSpans rs : request.getResourceSpansList()) {
            Map<String, Object> resource = attributes(rs.getResource().getAttributesList());
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (Span s : ss.getSpansList()) {
                    Map<String, Object> attributes = new LinkedHashMap<>(resource);
                    attributes.putAll(attributes(s.getAttributesList()));
                    List<String> links = new ArrayList<>();
                    s.getLinksList().forEach(l -> links.add(hex(l.getTraceId())));
                    out.add(
                            new OtlpSpan(
                                    hex(s.getTraceId()),
                                    hex(s.getSpanId()),
                                    hex(s.getParentSpanId()),
                                    s.getName(),
                                    s.getStartTimeUnixNano(),
                                    s.getEndTimeUnixNano(),
                                    s.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR,
                                    attributes,
                                    links));
                }
            }
        }
        return out;
    }

    private static Map<String, Object> attributes(List<KeyValue> kvs) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (KeyValue kv : kvs) {
            Object v = value(kv.getValue());
            if (v != null) {
                out.put(kv.getKey(), v);
            }
        }
        return out;
    }

    private static Object value(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case BOOL_VALUE -> v.getBoolValue();
            case INT_VALUE -> v.getIntValue();
            case DOUBLE_VALUE -> v.getDoubleValue();
            case ARRAY_VALUE -> {
                List<Object> items = new ArrayList<>();
                v.getArrayValue().getValuesList().forEach(i -> items.add(value(i)));
                yield items;
            }
            default -> null; // maps and bytes carry nothing the mapping reads
        };
    }

    private static String hex(ByteString id) {
        return HEX.formatHex(id.toByteArray());
    }

    private static List<OtlpSpan> json(byte[] bytes, InputLimits limits) throws Unreadable {
        JsonNode root;
        try {
            root = JsonInput.object(bytes, "otlp_json", limits);
        } catch (Rejected e) {
            throw new Unreadable(e.getMessage());
        }
        List<OtlpSpan> out = new ArrayList<>();
        for (JsonNode rs : array(root, "resourceSpans")) {
            Map<String, Object> resource = attributes(rs.path("resource").path("attributes"));
            for (JsonNode ss : array(rs, "scopeSpans")) {
                for (JsonNode s : array(ss, "spans")) {
                    Map<String, Object> attributes = new LinkedHashMap<>(resource);
                    attributes.putAll(attributes(s.path("attributes")));
                    List<String> links = new ArrayList<>();
                    array(s, "links").forEach(l -> links.add(l.path("traceId").asText("")));
                    out.add(
                            new OtlpSpan(
                                    s.path("traceId").asText(""),
                                    s.path("spanId").asText(""),
                                    s.path("parentSpanId").asText(""),
                                    s.path("name").asText(""),
                                    nanos(s.path("startTimeUnixNano")),
                                    nanos(s.path("endTimeUnixNano")),
                                    s.path("status").path("code").asInt() == 2,
                                    attributes,
                                    links));
                }
            }
        }
        return out;
    }

    private static Iterable<JsonNode> array(JsonNode node, String field) {
        JsonNode a = node.path(field);
        return a.isArray() ? a : List.of();
    }

    private static Map<String, Object> attributes(JsonNode kvs) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (kvs.isArray()) {
            for (JsonNode kv : kvs) {
                Object v = value(kv.path("value"));
                if (v != null && kv.hasNonNull("key")) {
                    out.put(kv.get("key").asText(), v);
                }
            }
        }
        return out;
    }

    private static Object value(JsonNode v) {
        if (v.has("stringValue")) {
            return v.get("stringValue").asText();
        }
        if (v.has("boolValue")) {
            return v.get("boolValue").asBoolean();
        }
        if (v.has("intValue")) {
            return v.get("intValue").asLong(); // a string in OTLP/JSON, a number in some exporters
        }
        if (v.has("doubleValue")) {
            return v.get("doubleValue").asDouble();
        }
        if (v.has("arrayValue")) {
            List<Object> items = new ArrayList<>();
            array(v.get("arrayValue"), "values").forEach(i -> items.add(value(i)));
            return items;
        }
        return null;
    }

    private static long nanos(JsonNode n) throws Unreadable {
        try {
            return n.isTextual() ? Long.parseUnsignedLong(n.asText()) : n.asLong();
        } catch (NumberFormatException e) {
            throw new Unreadable("otlp_json: a span time is not a number of nanoseconds: " + n);
        }
    }
}
