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
 * The serializer of a keyed-state value that has its own versioned byte format ({@link Codec}), as
 * the models' detectors, reservoirs and token buckets do: Flink never falls back to Kryo for them,
 * and a class change is handled by the format's version byte rather than by Kryo's field layout.
 *
 * <p>Upgrades: state that version 0.1 wrote with another serializer (Kryo for the models' classes,
 * Flink's POJO serializer for window accumulators) is read once with that serializer, restored from
 * its snapshot in the savepoint, and rewritten in this format ({@code compatibleAfterMigration}).
 */
public final class BytesSerializer<T> extends TypeSerializer<T> {

    private static final long serialVersionUID = 1L;

    /**
     * A versioned byte format of {@code T}; implementations have a public no-argument constructor.
     */
    public interface Codec<T> extends Serializable {
        byte[] toBytes(T value);

        T fromBytes(byte[] bytes);
    }

    private final Codec<T> codec;

    public BytesSerializer(Codec<T> codec) {
        this.codec = Objects.requireNonNull(codec);
    }

    /** Type information that uses this serializer (for window accumulators and the like). */
    public TypeInformation<T> typeInfo(Class<T> type) {
        return new SerializerInfo<>(type, this);
    }

    @Override
    public boolean isImmutableType() {
        return false;
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
        return from == null ? null : codec.fromBytes(codec.toBytes(from));
    }

    @Override
    public T copy(T from, T reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(T record, DataOutputView target) throws IOException {
        byte[] bytes = codec.toBytes(record);
        target.writeInt(bytes.length);
        target.write(bytes);
    }

    @Override
    public T deserialize(DataInputView source) throws IOException {
        byte[] bytes = new byte[source.readInt()];
        source.readFully(bytes);
        return codec.fromBytes(bytes);
    }

    @Override
    public T deserialize(T reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        int length = source.readInt();
        target.writeInt(length);
        target.write(source, length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BytesSerializer<?> other && other.codec.getClass() == codec.getClass();
    }

    @Override
    public int hashCode() {
        return codec.getClass().hashCode();
    }

    @Override
    public TypeSerializerSnapshot<T> snapshotConfiguration() {
        return new Snapshot<>(codec);
    }

    /** What a savepoint records of the serializer: its codec's class ({@link PartSnapshot}). */
    public static final class Snapshot<T> extends PartSnapshot<T, Codec<T>> {

        /** For Flink, which reads the snapshot with {@link #readSnapshot}. */
        public Snapshot() {}

        Snapshot(Codec<T> codec) {
            super(codec);
        }

        @Override
        TypeSerializer<T> restore(Codec<T> codec) {
            return new BytesSerializer<>(codec);
        }
    }
}
