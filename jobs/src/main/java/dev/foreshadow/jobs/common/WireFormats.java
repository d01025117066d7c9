package dev.foreshadow.jobs.common;

import dev.foreshadow.connectors.records.ActionMetrics;
import dev.foreshadow.connectors.records.ActionSample;
import dev.foreshadow.connectors.records.Cost;
import dev.foreshadow.connectors.records.EventType;
import dev.foreshadow.connectors.records.Security;
import dev.foreshadow.connectors.records.WorkflowEvent;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * The {@link WireSerializer} formats of the records ShadowJob sends between its tasks most: every
 * workflow event (to the shadow and the detectors of actions) and every action sample (to the
 * history, the statistics and the scores). Strings are Flink's (null allowed), optional values
 * behind a mask of what is present.
 */
public final class WireFormats {

    private WireFormats() {}

    public static final TypeInformation<WorkflowEvent> WORKFLOW_EVENTS =
            WireSerializer.typeInfo(WorkflowEvent.class, new WorkflowEventFormat());

    public static final TypeInformation<ActionSample> ACTION_SAMPLES =
            WireSerializer.typeInfo(ActionSample.class, new ActionSampleFormat());

    /** {@link WorkflowEvent}, format 1. */
    public static final class WorkflowEventFormat implements WireSerializer.Format<WorkflowEvent> {

        private static final long serialVersionUID = 1L;
        private static final EventType[] TYPES = EventType.values();

        /** The mask's bits of the eight metrics (4 to 11). */
        private static final int METRIC_BITS = 0xff0;

        @Override
        public void write(WorkflowEvent e, DataOutputView out) throws IOException {
            ActionMetrics m = e.metrics();
            int mask =
                    bit(e.type(), 0)
                            | bit(e.time(), 1)
                            | bit(e.attempt(), 2)
                            | bit(e.cost(), 3)
                            | bit(m.durationMs(), 4)
                            | bit(m.cpuSeconds(), 5)
                            | bit(m.peakCores(), 6)
                            | bit(m.peakMemoryBytes(), 7)
                            | bit(m.networkInBytes(), 8)
                            | bit(m.networkOutBytes(), 9)
                            | bit(m.bytesRead(), 10)
                            | bit(m.bytesWritten(), 11);
            out.writeShort(mask);
            StringValue.writeString(e.eventId(), out);
            if (e.type() != null) {
                out.writeByte(e.type().ordinal());
            }
            if (e.time() != null) {
                writeInstant(e.time(), out);
            }
            StringValue.writeString(e.tenant(), out);
            StringValue.writeString(e.workflowType(), out);
            StringValue.writeString(e.runId(), out);
            StringValue.writeString(e.actionType(), out);
            StringValue.writeString(e.actionId(), out);
            StringValue.writeString(e.triggeredBy(), out);
            if (e.attempt() != null) {
                out.writeInt(e.attempt());
            }
            if (e.cost() != null) {
                out.writeDouble(e.cost().amount());
                StringValue.writeString(e.cost().currency(), out);
            }
            writeLong(m.durationMs(), out);
            writeDouble(m.cpuSeconds(), out);
            writeDouble(m.peakCores(), out);
            writeLong(m.peakMemoryBytes(), out);
            writeLong(m.networkInBytes(), out);
            writeLong(m.networkOutBytes(), out);
            writeLong(m.bytesRead(), out);
            writeLong(m.bytesWritten(), out);
            StringValue.writeString(e.security().encryption(), out);
            writeList(e.security().certifications(), out);
            writeMap(e.attributes(), out);
        }

        @Override
        public WorkflowEvent read(DataInputView in) throws IOException {
            int mask = in.readUnsignedShort();
            String eventId = StringValue.readString(in);
            EventType type = has(mask, 0) ? TYPES[in.readByte()] : null;
            Instant time = has(mask, 1) ? readInstant(in) : null;
            String tenant = StringValue.readString(in);
            String workflowType = StringValue.readString(in);
            String runId = StringValue.readString(in);
            String actionType = StringValue.readString(in);
            String actionId = StringValue.readString(in);
            String triggeredBy = StringValue.readString(in);
            Integer attempt = has(mask, 2) ? in.readInt() : null;
            Cost cost = has(mask, 3) ? new Cost(in.readDouble(), StringValue.readString(in)) : null;
            // an event without metrics or security shares the one empty value, as decoded
            ActionMetrics metrics =
                    (mask & METRIC_BITS) == 0
                            ? ActionMetrics.NONE
                            : new ActionMetrics(
                                    has(mask, 4) ? in.readLong() : null,
                                    has(mask, 5) ? in.readDouble() : null,
                                    has(mask, 6) ? in.readDouble() : null,
                                    has(mask, 7) ? in.readLong() : null,
                                    has(mask, 8) ? in.readLong() : null,
                                    has(mask, 9) ? in.readLong() : null,
                                    has(mask, 10) ? in.readLong() : null,
                                    has(mask, 11) ? in.readLong() : null);
            String encryption = StringValue.readString(in);
            List<String> certifications = readList(in);
            Security security =
                    encryption == null && certifications.isEmpty()
                            ? Security.NONE
                            : new Security(encryption, certifications);
            return new WorkflowEvent(
                    eventId,
                    type,
                    time,
                    tenant,
                    workflowType,
                    runId,
                    actionType,
                    actionId,
                    triggeredBy,
                    attempt,
                    metrics,
                    security,
                    cost,
                    readMap(in));
        }
    }

    /** {@link ActionSample}, format 1. */
    public static final class ActionSampleFormat implements WireSerializer.Format<ActionSample> {

        private static final long serialVersionUID = 1L;

        @Override
        public void write(ActionSample s, DataOutputView out) throws IOException {
            out.writeByte(
                    bit(s.time(), 0)
                            | bit(s.startTime(), 1)
                            | (s.failed() ? 4 : 0)
                            | (s.costEstimated() ? 8 : 0));
            StringValue.writeString(s.eventId(), out);
            if (s.time() != null) {
                writeInstant(s.time(), out);
            }
            if (s.startTime() != null) {
                writeInstant(s.startTime(), out);
            }
            StringValue.writeString(s.tenant(), out);
            StringValue.writeString(s.workflowType(), out);
            StringValue.writeString(s.runId(), out);
            StringValue.writeString(s.actionType(), out);
            StringValue.writeString(s.actionId(), out);
            out.writeInt(s.attempt());
            out.writeLong(s.durationMs());
            out.writeDouble(s.cpuSeconds());
            out.writeDouble(s.peakCores());
            out.writeLong(s.peakMemoryBytes());
            out.writeLong(s.networkInBytes());
            out.writeLong(s.networkOutBytes());
            out.writeLong(s.bytesRead());
            out.writeLong(s.bytesWritten());
            StringValue.writeString(s.encryption(), out);
            writeList(s.certifications(), out);
            out.writeDouble(s.cost());
            StringValue.writeString(s.currency(), out);
            writeMap(s.attributes(), out);
        }

        @Override
        public ActionSample read(DataInputView in) throws IOException {
            int mask = in.readUnsignedByte();
            String eventId = StringValue.readString(in);
            Instant time = has(mask, 0) ? readInstant(in) : null;
            Instant startTime = has(mask, 1) ? readInstant(in) : null;
            return new ActionSample(
                    eventId,
                    time,
                    startTime,
                    StringValue.readString(in),
                    StringValue.readString(in),
                    StringValue.readString(in),
                    StringValue.readString(in),
                    StringValue.readString(in),
                    has(mask, 2),
                    in.readInt(),
                    in.readLong(),
                    in.readDouble(),
                    in.readDouble(),
                    in.readLong(),
                    in.readLong(),
                    in.readLong(),
                    in.readLong(),
                    in.readLong(),
                    StringValue.readString(in),
                    readList(in),
                    in.readDouble(),
                    StringValue.readString(in),
                    has(mask, 3),
                    readMap(in));
        }
    }

    private static int bit(Object present, int bit) {
        return present == null ? 0 : 1 << bit;
    }

    private static boolean has(int mask, int bit) {
        return (mask & (1 << bit)) != 0;
    }

    private static void writeInstant(Instant t, DataOutputView out) throws IOException {
        out.writeLong(t.getEpochSecond());
        out.writeInt(t.getNano());
    }

    private static Instant readInstant(DataInputView in) throws IOException {
        return Instant.ofEpochSecond(in.readLong(), in.readInt());
    }

    private static void writeLong(Long v, DataOutputView out) throws IOException {
        if (v != null) {
            out.writeLong(v);
        }
    }

    private static void writeDouble(Double v, DataOutputView out) throws IOException {
        if (v != null) {
            out.writeDouble(v);
        }
    }

    private static void writeList(List<String> list, DataOutputView out) throws IOException {
        out.writeInt(list.size());
        for (String s : list) {
            StringValue.writeString(s, out);
        }
    }

    private static List<String> readList(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n == 0) {
            return List.of();
        }
        List<String> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(StringValue.readString(in));
        }
        return list;
    }

    private static void writeMap(Map<String, String> map, DataOutputView out) throws IOException {
        out.writeInt(map.size());
        for (Map.Entry<String, String> e : map.entrySet()) {
            StringValue.writeString(e.getKey(), out);
            StringValue.writeString(e.getValue(), out);
        }
    }

    private static Map<String, String> readMap(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n == 0) {
            return Map.of();
        }
        Map<String, String> map = new HashMap<>(2 * n);
        for (int i = 0; i < n; i++) {
            map.put(StringValue.readString(in), StringValue.readString(in));
        }
        return map;
    }
}
