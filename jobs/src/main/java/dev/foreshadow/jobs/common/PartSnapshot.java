package dev.foreshadow.jobs.common;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * What a savepoint records of a serializer made of one part with a public no-argument constructor
 * (a {@link BytesSerializer}'s codec, a {@link WireSerializer}'s format): the part's class. The
 * same kind of serializer with a part of the same class is compatible as it is, with another part
 * not; state written by another serializer (Kryo, POJO: an earlier version's) is read with it once
 * and written again ({@code compatibleAfterMigration}).
 */
abstract class PartSnapshot<T, P> implements TypeSerializerSnapshot<T> {

    private P part;

    PartSnapshot() {}

    PartSnapshot(P part) {
        this.part = part;
    }

    /** The serializer made of {@code part}. */
    abstract TypeSerializer<T> restore(P part);

    @Override
    public int getCurrentVersion() {
        return 1;
    }

    @Override
    public void writeSnapshot(DataOutputView out) throws IOException {
        out.writeUTF(part.getClass().getName());
    }

    @Override
    @SuppressWarnings("unchecked")
    public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader)
            throws IOException {
        String name = in.readUTF();
        try {
            part =
                    (P)
                            Class.forName(name, true, classLoader)
                                    .getDeclaredConstructor()
                                    .newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IOException("cannot restore the serializer's " + name, e);
        }
    }

    @Override
    public TypeSerializer<T> restoreSerializer() {
        return restore(part);
    }

    @Override
    public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(
            TypeSerializerSnapshot<T> old) {
        if (old.getClass() == getClass()) {
            return ((PartSnapshot<?, ?>) old).part.getClass() == part.getClass()
                    ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                    : TypeSerializerSchemaCompatibility.incompatible();
        }
        return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
    }
}
