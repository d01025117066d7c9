package dev.foreshadow.connectors.history;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;

/**
 * A Flink sink into one history table through {@link HistoryWriter}: batches of up to {@code
 * batchSize} rows, flushed when full, every {@code flushInterval} of processing time, and on every
 * checkpoint, so that a completed checkpoint means every row before it is stored (at-least-once;
 * the writer's idempotence makes replays harmless).
 *
 * <p>With a retention set, the first subtask also enforces the retention of all history tables when
 * it starts and then every {@link #RETENTION_EVERY} (on TimescaleDB this only refreshes the
 * retention policies).
 */
public final class HistorySink<T> implements Sink<T> {

    private static final long serialVersionUID = 1L;

    private final PostgresSettings settings;
    private final HistoryTable<T> table;
    private final int batchSize;
    private final Duration flushInterval;
    private final Duration retention;

    public static final Duration RETENTION_EVERY = Duration.ofHours(1);

    public HistorySink(
            PostgresSettings settings,
            HistoryTable<T> table,
            int batchSize,
            Duration flushInterval) {
        this(settings, table, batchSize, flushInterval, null);
    }

    private HistorySink(
            PostgresSettings settings,
            HistoryTable<T> table,
            int batchSize,
            Duration flushInterval,
            Duration retention) {
        if (batchSize < 1) {
            throw new IllegalArgumentException(
                    "history.batch-size must be at least 1, got " + batchSize);
        }
        this.settings = settings;
        this.table = table;
        this.batchSize = batchSize;
        this.flushInterval = flushInterval;
        this.retention = retention;
    }

    /** The same sink, also enforcing {@code retention} over all history tables. */
    public HistorySink<T> withRetention(Duration retention) {
        return new HistorySink<>(settings, table, batchSize, flushInterval, retention);
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        Writer<T> writer =
                new Writer<>(
                        new HistoryWriter<>(settings, table),
                        batchSize,
                        flushInterval.toMillis(),
                        context.getProcessingTimeService(),
                        context.metricGroup().counter("historyRowsWritten"));
        if (retention != null && context.getTaskInfo().getIndexOfThisSubtask() == 0) {
            writer.enforceRetention(
                    retention, context.getProcessingTimeService().getCurrentProcessingTime());
        }
        return writer;
    }

    private static final class Writer<T> implements SinkWriter<T> {

        private final HistoryWriter<T> writer;
        private final int batchSize;
        private final long intervalMs;
        private final ProcessingTimeService time;
        private final Counter rowsWritten;

        Writer(
                HistoryWriter<T> writer,
                int batchSize,
                long intervalMs,
                ProcessingTimeService time,
                Counter rowsWritten) {
            this.writer = writer;
            this.batchSize = batchSize;
            this.intervalMs = intervalMs;
            this.time = time;
            this.rowsWritten = rowsWritten;
            scheduleFlush();
        }

        @Override
        public void write(T element, Context context) throws IOException {
            writer.add(element);
            if (writer.pending() >= batchSize) {
                flushNow();
            }
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            flushNow();
        }

        void enforceRetention(Duration retention, long at) {
            time.registerTimer(
                    at,
                    t -> {
                        try {
                            writer.applyRetention(retention);
                        } catch (SQLException e) {
                            throw new IOException(
                                    "cannot apply history.retention: " + e.getMessage(), e);
                        }
                        enforceRetention(retention, t + RETENTION_EVERY.toMillis());
                    });
        }

        private void scheduleFlush() {
            time.registerTimer(
                    time.getCurrentProcessingTime() + intervalMs,
                    t -> {
                        flushNow();
                        scheduleFlush();
                    });
        }

        private void flushNow() throws IOException {
            int rows = writer.pending();
            try {
                writer.flush();
            } catch (SQLException e) {
                throw new IOException("cannot write history: " + e.getMessage(), e);
            }
            rowsWritten.inc(rows);
        }

        @Override
        public void close() throws Exception {
            writer.close();
        }
    }
}
