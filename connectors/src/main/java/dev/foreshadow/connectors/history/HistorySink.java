package dev.foreshadow.connectors.history;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Flink sink into one history table through {@link HistoryWriter}: batches of up to {@code
 * batchSize} rows, flushed when full, every {@code flushInterval} of processing time, and on every
 * checkpoint, so that a completed checkpoint means every row before it is stored (at-least-once;
 * the writer's idempotence makes replays harmless).
 *
 * <p>An unreachable database (a connection error, the server shutting down or refusing connections)
 * is retried with exponential backoff, up to {@code outageTimeout}: the sink holds the batch and
 * blocks, so backpressure slows the sources, and once the database is back the batch is written
 * (the writer's idempotence absorbs a commit whose answer was lost). Each outage is logged once
 * when it starts and once when it ends and counted in {@code historyOutages}; past the timeout the
 * sink fails the job, which restarts from its last checkpoint. Other errors fail at once.
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
    private final Duration outageTimeout;
    private final Duration retention;

    public static final Duration RETENTION_EVERY = Duration.ofHours(1);

    /** The first wait before a retry; doubled each time up to {@link #LONGEST_RETRY_WAIT}. */
    static final Duration FIRST_RETRY_WAIT = Duration.ofMillis(100);

    static final Duration LONGEST_RETRY_WAIT = Duration.ofSeconds(5);

    public HistorySink(
            PostgresSettings settings,
            HistoryTable<T> table,
            int batchSize,
            Duration flushInterval,
            Duration outageTimeout) {
        this(settings, table, batchSize, flushInterval, outageTimeout, null);
    }

    private HistorySink(
            PostgresSettings settings,
            HistoryTable<T> table,
            int batchSize,
            Duration flushInterval,
            Duration outageTimeout,
            Duration retention) {
        if (batchSize < 1) {
            throw new IllegalArgumentException(
                    "history.batch-size must be at least 1, got " + batchSize);
        }
        this.settings = settings;
        this.table = table;
        this.batchSize = batchSize;
        this.flushInterval = flushInterval;
        this.outageTimeout = outageTimeout;
        this.retention = retention;
    }

    /** The same sink, also enforcing {@code retention} over all history tables. */
    public HistorySink<T> withRetention(Duration retention) {
        return new HistorySink<>(
                settings, table, batchSize, flushInterval, outageTimeout, retention);
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        Writer<T> writer =
                new Writer<>(
                        new HistoryWriter<>(settings, table),
                        batchSize,
                        flushInterval.toMillis(),
                        context.getProcessingTimeService(),
                        context.metricGroup().counter("historyRowsWritten"),
                        new Outages(
                                table.name(),
                                outageTimeout,
                                context.metricGroup().counter("historyOutages")));
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
        private final Outages outages;

        Writer(
                HistoryWriter<T> writer,
                int batchSize,
                long intervalMs,
                ProcessingTimeService time,
                Counter rowsWritten,
                Outages outages) {
            this.writer = writer;
            this.batchSize = batchSize;
            this.intervalMs = intervalMs;
            this.time = time;
            this.rowsWritten = rowsWritten;
            this.outages = outages;
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
                        outages.retry(() -> writer.applyRetention(retention));
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
            outages.retry(writer::flush);
            rowsWritten.inc(rows);
        }

        @Override
        public void close() throws Exception {
            writer.close();
        }
    }

    /** What a writer does while the database is unreachable: back off, retry, log once. */
    static final class Outages {

        private static final Logger LOG = LoggerFactory.getLogger(HistorySink.class);

        private final String table;
        private final Duration timeout;
        private final Counter count;

        Outages(String table, Duration timeout, Counter count) {
            this.table = table;
            this.timeout = timeout;
            this.count = count;
        }

        interface Call {
            void run() throws SQLException;
        }

        /**
         * Runs {@code call}, again after a growing wait while the database is unreachable, for at
         * most the timeout.
         */
        void retry(Call call) throws IOException {
            long started = 0;
            long waitMs = FIRST_RETRY_WAIT.toMillis();
            while (true) {
                try {
                    call.run();
                    if (started != 0) {
                        LOG.info(
                                "history database reachable again after {} s; {} written",
                                (System.nanoTime() - started) / 1_000_000_000,
                                table);
                    }
                    return;
                } catch (SQLException e) {
                    if (!unreachable(e)) {
                        throw new IOException(
                                "cannot write history table " + table + ": " + e.getMessage(), e);
                    }
                    long now = System.nanoTime();
                    if (started == 0) {
                        started = now;
                        count.inc();
                        LOG.warn(
                                "history database unreachable while writing {} ({}); retrying for"
                                        + " up to {} while the job waits",
                                table,
                                e.getMessage(),
                                timeout);
                    } else if (now - started > timeout.toNanos()) {
                        throw new IOException(
                                "history database unreachable for history.outage-timeout ("
                                        + timeout
                                        + "): "
                                        + e.getMessage(),
                                e);
                    }
                    sleep(waitMs);
                    waitMs = Math.min(2 * waitMs, LONGEST_RETRY_WAIT.toMillis());
                }
            }
        }

        /**
         * A connection error (SQLSTATE class 08), the server shutting down or not yet accepting
         * connections (57P01-57P03) or out of connections (53300), or a conflict with a concurrent
         * transaction (a serialization failure or deadlock, 40001 and 40P01, or PostgreSQL's "tuple
         * concurrently updated" when two subtasks create the same partition's catalog rows at
         * once): worth waiting for.
         */
        static boolean unreachable(SQLException e) {
            String state = e.getSQLState();
            String message = e.getMessage();
            return state != null
                    && (state.startsWith("08")
                            || state.equals("40001")
                            || state.equals("40P01")
                            || (state.equals("XX000")
                                    && message != null
                                    && message.contains("tuple concurrently updated"))
                            || state.equals("57P01")
                            || state.equals("57P02")
                            || state.equals("57P03")
                            || state.equals("53300"));
        }

        private static void sleep(long ms) throws IOException {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the history database", e);
            }
        }
    }
}
