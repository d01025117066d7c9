package dev.foreshadow.connectors.otlp;

import dev.foreshadow.connectors.json.Decoded;
import dev.foreshadow.connectors.json.EventDecoder;
import dev.foreshadow.connectors.json.InputOptions;
import dev.foreshadow.connectors.records.DeadLetter;
import dev.foreshadow.connectors.records.WorkflowEvent;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * Decodes a record of {@code workflow-events} whatever its encoding: foreshadow's JSON event, or an
 * OTLP trace export ({@code otlp_proto} or {@code otlp_json}) whose workflow spans become events
 * ({@link SpanMapping}). Every event, whatever it came from, goes through the same {@link
 * EventDecoder}, so it is validated and redacted the same way, under the same {@code InputLimits}
 * (a record larger than {@code validation.max-event-bytes} is refused before any parser reads it);
 * an export that cannot be read, and every span event the decoder rejects, is a dead letter naming
 * the span and the field.
 */
public final class WorkflowRecordDecoder implements Serializable {

    private static final long serialVersionUID = 1L;

    private final EventDecoder events;
    private final SpanMapping mapping;

    public WorkflowRecordDecoder(EventDecoder events, SpanMapping mapping) {
        this.events = events;
        this.mapping = mapping;
    }

    /**
     * Decodes one record into {@code out}; returns how many spans it skipped as not being workflow
     * spans.
     */
    public int decode(
            byte[] bytes, String source, Instant receivedAt, Consumer<Decoded<WorkflowEvent>> out) {
        byte[] value = bytes == null ? new byte[0] : bytes;
        int max = events.limits().maxRecordBytes();
        if (value.length > max) {
            // refused before any parser sees it, whatever its encoding
            out.accept(
                    Decoded.rejected(
                            DeadLetter.of(
                                    source,
                                    "event: is "
                                            + value.length
                                            + " bytes, more than "
                                            + InputOptions.MAX_EVENT_BYTES.key()
                                            + " ("
                                            + max
                                            + ")",
                                    receivedAt,
                                    value)));
            return 0;
        }
        OtlpReader.Encoding encoding = OtlpReader.Encoding.of(value);
        List<OtlpSpan> spans =
                encoding != OtlpReader.Encoding.OTLP_PROTO && OtlpReader.Encoding.mayBeProto(value)
                        ? OtlpReader.protoOrNull(value)
                        : null;
        if (spans == null && encoding == OtlpReader.Encoding.EVENT_JSON) {
            out.accept(events.decode(value, source, receivedAt));
            return 0;
        }
        if (spans == null) {
            try {
                spans = OtlpReader.read(value, encoding, events.limits());
            } catch (OtlpReader.Unreadable e) {
                out.accept(
                        Decoded.rejected(DeadLetter.of(source, e.getMessage(), receivedAt, value)));
                return 0;
            }
        }
        int skipped = 0;
        for (OtlpSpan span : spans) {
            if (!mapping.isWorkflowSpan(span)) {
                skipped++;
                continue;
            }
            String spanSource = source + " span " + span.spanId();
            for (byte[] event : mapping.events(span)) {
                Decoded<WorkflowEvent> d = events.decode(event, spanSource, receivedAt);
                out.accept(
                        d.isValid()
                                ? d
                                : Decoded.rejected(
                                        DeadLetter.of(
                                                spanSource,
                                                "span "
                                                        + span.spanId()
                                                        + " of trace "
                                                        + span.traceId()
                                                        + ": "
                                                        + d.deadLetter().reason(),
                                                receivedAt,
                                                event)));
            }
        }
        return skipped;
    }
}
