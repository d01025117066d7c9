package dev.foreshadow.jobs.allocation;

import dev.foreshadow.connectors.history.HistorySink;
import dev.foreshadow.connectors.history.HistoryTables;
import dev.foreshadow.connectors.records.AllocationCommand;
import dev.foreshadow.connectors.records.AllocationStatus;
import dev.foreshadow.connectors.records.DeadLetter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.base.DeliveryGuarantee;

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
        DeliveryGuarantee guarantee =
                s.exactlyOnce() ? DeliveryGuarantee.EXACTLY_ONCE : DeliveryGuarantee.AT_LEAST_ONCE;
        return new AllocationSinks(
                s.kafka()
                        .jsonSink(
                                s.statusTopic(),
                                AllocationStatus::pool,
                                guarantee,
                                "foreshadow-allocation-status"),
                new HistorySink<>(
                        s.history(),
                        HistoryTables.ALLOCATION_EVENTS,
                        s.batchSize(),
                        s.flushInterval()),
                new HistorySink<>(
                        s.history(),
                        HistoryTables.ALLOCATION_COMMANDS,
                        s.batchSize(),
                        s.flushInterval()),
                s.kafka()
                        .jsonSink(
                                s.deadLettersTopic(),
                                DeadLetter::source,
                                guarantee,
                                "foreshadow-allocation-dead-letters"));
    }
}
