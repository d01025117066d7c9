package dev.foreshadow.jobs.common;

import java.io.IOException;
import java.io.Serializable;
import java.util.Objects;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
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
        return new Info<>(type, this);
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

    /** What a savepoint records of the serializer: the codec's class. */
    public static final class Snapshot<T> implements TypeSerializerSnapshot<T> {

        private Codec<T> codec;

        /** For Flink, which reads the snapshot with {@link #readSnapshot}. */
        public Snapshot() {}

        Snapshot(Codec<T> codec) {
            this.codec = codec;
        }

        @Override
        public int getCurrentVersion() {
            return 1;
        }

        @Override
        public void writeSnapshot(DataOutputView out) throws IOException {
            out.writeUTF(codec.getClass().getName());
        }

        @Override
        @SuppressWarnings("unchecked")
        public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader)
                throws IOException {
            String name = in.readUTF();
            try {
                codec =
                        (Codec<T>)
                                Class.forName(name, true, classLoader)
                                        .getDeclaredConstructor()
                                        .newInstance();
            } catch (ReflectiveOperationException e) {
                throw new IOException("cannot restore the state codec " + name, e);
            }
        }

        @Override
        public TypeSerializer<T> restoreSerializer() {
            return new BytesSerializer<>(codec);
        }

        @Override
        public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(
                TypeSerializerSnapshot<T> old) {
            if (old instanceof Snapshot<T> previous) {
                return previous.codec.getClass() == codec.getClass()
                        ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                        : TypeSerializerSchemaCompatibility.incompatible();
            }
            // written by the serializer of an earlier version (Kryo, POJO): read with it, once
            return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
        }
    }

    /** Type information whose serializer is a {@link BytesSerializer}. */
    private static final class Info<T> extends TypeInformation<T> {

        private static final long serialVersionUID = 1L;

        private final Class<T> type;
        private final BytesSerializer<T> serializer;

        Info(Class<T> type, BytesSerializer<T> serializer) {
            this.type = type;
            this.serializer = serializer;
        }

        @Override
        public boolean isBasicType() {
            return false;
        }

        @Override
        public boolean isTupleType() {
            return false;
        }

        @Override
        public int getArity() {
            return 1;
        }

        @Override
        public int getTotalFields() {
            return 1;
        }

        @Override
        public Class<T> getTypeClass() {
            return type;
        }

        @Override
        public boolean isKeyType() {
            return false;
        }

        @Override
        public TypeSerializer<T> createSerializer(SerializerConfig config) {
            return serializer;
        }

        @Override
        public String toString() {
            return "Bytes<" + type.getSimpleName() + ">";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Info<?> other
                    && other.type == type
                    && other.serializer.equals(serializer);
        }

        @Override
        public int hashCode() {
            return type.hashCode();
        }

        @Override
        public boolean canEqual(Object o) {
            return o instanceof Info<?>;
        }
    }
}
