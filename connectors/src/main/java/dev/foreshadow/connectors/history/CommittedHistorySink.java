package dev.foreshadow.connectors.history;

import dev.foreshadow.connectors.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.metrics.Counter;

/**
 * A Flink sink into one history table that stores a checkpoint's rows only once that checkpoint is
 * complete, as an exactly-once Kafka sink commits its transaction: the rows a run made after its
 * last completed checkpoint are never stored when it fails, and those it makes again after the
 * restart are stored once (the writer's idempotence absorbs a commit retried after recovery).
 *
 * <p>{@link HistorySink} is enough for rows that a replay makes again unchanged (ShadowJob's, all
 * of event time). It is not for rows made on processing time, as AllocationJob's changes are: after
 * a restart the same change is seen at another observation, so it would be stored twice, once at
 * each time, and changes of the lost run that the replay never makes would stay stored but never
 * sent. The price: rows wait for the next checkpoint, and are held in it until stored.
 *
 * <p>An unreachable database is retried as {@link HistorySink} does, up to {@code outageTimeout};
 * past it the job fails, and the rows are stored after the restart.
 */
public final class CommittedHistorySink<T> implements Sink<T>, SupportsCommitter<List<T>> {

    private static final long serialVersionUID = 1L;

    private final PostgresSettings settings;
    private final HistoryTable<T> table;
    private final Class<T> type;
    private final Duration outageTimeout;

    /** A sink into {@code table} of {@code type}'s rows, held in checkpoints as JSON. */
    public CommittedHistorySink(
            PostgresSettings settings,
            HistoryTable<T> table,
            Class<T> type,
            Duration outageTimeout) {
        this.settings = settings;
        this.table = table;
        this.type = type;
        this.outageTimeout = outageTimeout;
    }

    @Override
    public CommittingSinkWriter<T, List<T>> createWriter(WriterInitContext context) {
        return new Writer<>();
    }

    @Override
    public Committer<List<T>> createCommitter(CommitterInitContext context) {
        return new Store<>(
                new HistoryWriter<>(settings, table),
                context.metricGroup().counter("historyRowsWritten"),
                new HistorySink.Outages(
                        table.name(),
                        outageTimeout,
                        context.metricGroup().counter("historyOutages")));
    }

    @Override
    public SimpleVersionedSerializer<List<T>> getCommittableSerializer() {
        return new Rows<>(type);
    }

    /** Collects the rows since the last checkpoint; they are the checkpoint's committable. */
    private static final class Writer<T> implements CommittingSinkWriter<T, List<T>> {

        private List<T> rows = new ArrayList<>();

        @Override
        public void write(T element, Context context) {
            rows.add(element);
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public Collection<List<T>> prepareCommit() {
            if (rows.isEmpty()) {
                return List.of();
            }
            List<T> done = rows;
            rows = new ArrayList<>();
            return List.of(done);
        }

        @Override
        public void close() {}
    }

    /** Stores a completed checkpoint's rows. */
    private static final class Store<T> implements Committer<List<T>> {

        private final HistoryWriter<T> writer;
        private final Counter rowsWritten;
        private final HistorySink.Outages outages;

        Store(HistoryWriter<T> writer, Counter rowsWritten, HistorySink.Outages outages) {
            this.writer = writer;
            this.rowsWritten = rowsWritten;
            this.outages = outages;
        }

        @Override
        public void commit(Collection<CommitRequest<List<T>>> requests) throws IOException {
            int rows = 0;
            for (CommitRequest<List<T>> r : requests) {
                r.getCommittable().forEach(writer::add);
                rows += r.getCommittable().size();
            }
            outages.retry(writer::flush);
            rowsWritten.inc(rows);
        }

        @Override
        public void close() throws Exception {
            writer.close();
        }
    }

    /** Rows as a count and each row's JSON. */
    private static final class Rows<T> implements SimpleVersionedSerializer<List<T>> {

        private final Class<T> type;

        Rows(Class<T> type) {
            this.type = type;
        }

        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(List<T> rows) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(rows.size());
            for (T row : rows) {
                byte[] json = Json.bytes(row);
                out.writeInt(json.length);
                out.write(json);
            }
            return bytes.toByteArray();
        }

        @Override
        public List<T> deserialize(int version, byte[] serialized) throws IOException {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized));
            int n = in.readInt();
            List<T> rows = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                byte[] json = new byte[in.readInt()];
                in.readFully(json);
                rows.add(Json.read(json, type));
            }
            return rows;
        }
    }
}
