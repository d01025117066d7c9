package dev.foreshadow.connectors.history;

import java.io.Serializable;
import java.time.Duration;

/**
 * The history database and how the jobs write to it (see {@link HistoryOptions}).
 *
 * @param retention how long history is kept
 * @param batchSize rows per COPY batch
 * @param flushInterval longest time a row waits in a sink's buffer
 * @param outageTimeout how long a sink retries an unreachable database before it fails the job
 */
public record HistorySettings(
        PostgresSettings database,
        Duration retention,
        int batchSize,
        Duration flushInterval,
        Duration outageTimeout)
        implements Serializable {

    /** A sink into {@code table} with these batch, flush and outage settings. */
    public <T> HistorySink<T> sink(HistoryTable<T> table) {
        return new HistorySink<>(database, table, batchSize, flushInterval, outageTimeout);
    }

    /**
     * A sink into {@code table} that stores rows once the checkpoint after them is complete ({@link
     * CommittedHistorySink}), with this outage timeout.
     */
    public <T> CommittedHistorySink<T> committedSink(HistoryTable<T> table, Class<T> type) {
        return new CommittedHistorySink<>(database, table, type, outageTimeout);
    }
}
