package dev.foreshadow.jobs.allocation;

import dev.foreshadow.connectors.history.HistoryTables;
import dev.foreshadow.connectors.records.AllocationCommand;
import dev.foreshadow.connectors.records.AllocationStatus;
import dev.foreshadow.connectors.records.DeadLetter;
import org.apache.flink.api.connector.sink2.Sink;

/**
 * Where AllocationJob writes: every audited change to {@code allocation-status} and {@code
 * allocation_events}, every valid command to {@code allocation_commands}, and every rejected
 * command to {@code dead-letters}.
 */
public record AllocationSinks(
        Sink<AllocationStatus> status,
        Sink<AllocationStatus> events,
        Sink<AllocationCommand> commands,
        Sink<DeadLetter> deadLetters) {

    /** The production sinks: Kafka and the PostgreSQL/TimescaleDB history. */
    public static AllocationSinks of(AllocationSettings s) {
        return new AllocationSinks(
                s.kafka()
                        .jsonSink(
                                s.statusTopic(),
                                AllocationStatus::pool,
                                s.guarantee(),
                                "foreshadow-allocation-status"),
                s.history().sink(HistoryTables.ALLOCATION_EVENTS),
                s.history().sink(HistoryTables.ALLOCATION_COMMANDS),
                s.kafka()
                        .deadLetterSink(
                                s.deadLettersTopic(),
                                s.privacy(),
                                s.guarantee(),
                                "foreshadow-allocation-dead-letters"));
    }
}
