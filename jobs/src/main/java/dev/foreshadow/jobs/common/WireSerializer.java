package dev.foreshadow.jobs.common;

import java.io.IOException;
import java.io.Serializable;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The serializer of an immutable record on the job's busiest streams, written field by field by a
 * {@link Format} of its own: Flink's POJO serializer reads every field of a Java record by
 * reflection and builds it again through a reflective constructor, which cost ShadowJob a sixth of
 * its CPU on the exchanges of its events and samples (DISCUSSION.md). A record is never copied
 * (immutable), so a chained operator gets it as it is.
 *
 * <p>Used on streams, where a record lives between two tasks; the keyed states that hold these
 * records keep the POJO serializer they were written with. An operator that keeps its input in
 * state by the stream's serializer (CEP) reads state written by the POJO serializer of an earlier
 * version once with it and writes it again in this format ({@code compatibleAfterMigration}).
 */
public final class WireSerializer<T> extends TypeSerializer<T> {

    private static final long serialVersionUID = 1L;

    /**
     * How one record type is written; implementations have a public no-argument constructor, and a
     * change of the layout is a new class (a savepoint names the class).
     */
    public interface Format<T> extends Serializable {
        void write(T value, DataOutputView out) throws IOException;

        T read(DataInputView in) throws IOException;
    }

    private final Format<T> format;

    private WireSerializer(Format<T> format) {
        this.format = Objects.requireNonNull(format);
    }

    /** Type information of {@code type} whose serializer writes it with {@code format}. */
    public static <T> TypeInformation<T> typeInfo(Class<T> type, Format<T> format) {
        return new SerializerInfo<>(type, new WireSerializer<>(format));
    }

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public TypeSerializer<T> duplicate() {
        return this; // stateless
    }

    @Override
    public T createInstance() {
        return null;
    }

    @Override
    public T copy(T from) {
        return from;
    }

    @Override
    public T copy(T from, T reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(T record, DataOutputView target) throws IOException {
        format.write(record, target);
    }

    @Override
    public T deserialize(DataInputView source) throws IOException {
        return format.read(source);
    }

    @Override
    public T deserialize(T reuse, DataInputView source) throws IOException {
        return format.read(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        format.write(format.read(source), target);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WireSerializer<?> other && other.format.getClass() == format.getClass();
    }

    @Override
    public int hashCode() {
        return format.getClass().hashCode();
    }

    @Override
    public TypeSerializerSnapshot<T> snapshotConfiguration() {
        return new Snapshot<>(format);
    }

    /** What a savepoint records of the serializer: its format's class ({@link PartSnapshot}). */
    public static final class Snapshot<T> extends PartSnapshot<T, Format<T>> {

        /** For Flink, which reads the snapshot with {@link #readSnapshot}. */
        public Snapshot() {}

        Snapshot(Format<T> format) {
            super(format);
        }

        @Override
        TypeSerializer<T> restore(Format<T> format) {
            return new WireSerializer<>(format);
        }
    }
}
