package dev.foreshadow.jobs.operators;

import dev.foreshadow.jobs.common.BytesSerializer;
import dev.foreshadow.models.stats.Reservoir;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * The running sums of one (workflow type, action type) minute window. Window state, kept in its own
 * versioned format ({@link Codec}) rather than Flink's POJO serializer, whose reservoir field would
 * fall back to Kryo.
 */
public final class ActionStatsAccumulator {

    /**
     * Durations kept per window for exact quantiles; beyond this the quantiles come from a uniform
     * sample.
     */
    public static final int RESERVOIR_CAPACITY = 4096;

    public long count;
    public long failures;
    public double durationSumMs;
    public double cpuSeconds;
    public double memoryGibSeconds;
    public long networkInBytes;
    public long networkOutBytes;
    public long bytesRead;
    public long bytesWritten;
    public double cost;

    /** Durations (ms) for the quantiles: exact up to its capacity, a uniform sample beyond. */
    public Reservoir durations = new Reservoir(RESERVOIR_CAPACITY, 0x5eed);

    public ActionStatsAccumulator() {}

    /** The type of the window's accumulator state. */
    public static final TypeInformation<ActionStatsAccumulator> TYPE =
            new BytesSerializer<>(new Codec()).typeInfo(ActionStatsAccumulator.class);

    /** Format 1: the sums in declaration order, then the reservoir's own bytes. */
    public static final class Codec implements BytesSerializer.Codec<ActionStatsAccumulator> {
        private static final long serialVersionUID = 1L;
        private static final byte FORMAT = 1;

        @Override
        public byte[] toBytes(ActionStatsAccumulator a) {
            byte[] reservoir = a.durations.toBytes();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(90 + reservoir.length);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeByte(FORMAT);
                out.writeLong(a.count);
                out.writeLong(a.failures);
                out.writeDouble(a.durationSumMs);
                out.writeDouble(a.cpuSeconds);
                out.writeDouble(a.memoryGibSeconds);
                out.writeLong(a.networkInBytes);
                out.writeLong(a.networkOutBytes);
                out.writeLong(a.bytesRead);
                out.writeLong(a.bytesWritten);
                out.writeDouble(a.cost);
                out.writeInt(reservoir.length);
                out.write(reservoir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }

        @Override
        public ActionStatsAccumulator fromBytes(byte[] snapshot) {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot))) {
                byte format = in.readByte();
                if (format != FORMAT) {
                    throw new IllegalArgumentException("unknown accumulator format " + format);
                }
                ActionStatsAccumulator a = new ActionStatsAccumulator();
                a.count = in.readLong();
                a.failures = in.readLong();
                a.durationSumMs = in.readDouble();
                a.cpuSeconds = in.readDouble();
                a.memoryGibSeconds = in.readDouble();
                a.networkInBytes = in.readLong();
                a.networkOutBytes = in.readLong();
                a.bytesRead = in.readLong();
                a.bytesWritten = in.readLong();
                a.cost = in.readDouble();
                byte[] reservoir = new byte[in.readInt()];
                in.readFully(reservoir);
                a.durations = Reservoir.fromBytes(reservoir);
                return a;
            } catch (IOException e) {
                throw new IllegalArgumentException("a truncated accumulator snapshot", e);
            }
        }
    }
}
