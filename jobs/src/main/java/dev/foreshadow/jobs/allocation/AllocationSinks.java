package dev.foreshadow.jobs.allocation;

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
        // a change is seen on an observation, in processing time: after a restart from a
        // checkpoint the job sees it again at another time, and may never make a change of the
        // lost run again. With exactly-once outputs, allocation_events must hold what
        // allocation-status commits, so it stores a checkpoint's changes once it is complete.
        // A command's row is its own content, stored once however often it is replayed.
        boolean exactlyOnce = s.guarantee() == DeliveryGuarantee.EXACTLY_ONCE;
        return new AllocationSinks(
                s.kafka()
                        .jsonSink(
                                s.statusTopic(),
                                AllocationStatus::pool,
                                s.guarantee(),
                                "foreshadow-allocation-status"),
                exactlyOnce
                        ? s.history()
                                .committedSink(
                                        HistoryTables.ALLOCATION_EVENTS, AllocationStatus.class)
                        : s.history().sink(HistoryTables.ALLOCATION_EVENTS),
                s.history().sink(HistoryTables.ALLOCATION_COMMANDS),
                s.kafka()
                        .deadLetterSink(
                                s.deadLettersTopic(),
                                s.privacy(),
                                s.guarantee(),
                                "foreshadow-allocation-dead-letters"));
    }
}
