package dev.foreshadow.jobs.allocation;

import dev.foreshadow.connectors.json.Decoded;
import dev.foreshadow.connectors.kafka.CommandDeserializer;
import dev.foreshadow.connectors.records.AllocationCommand;
import dev.foreshadow.connectors.records.AllocationStatus;
import dev.foreshadow.connectors.records.DeadLetter;
import dev.foreshadow.jobs.common.SplitDeadLetters;
import dev.foreshadow.models.lifecycle.Call;
import java.io.Serializable;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.async.AsyncRetryStrategy;
import org.apache.flink.streaming.util.retryable.AsyncRetryStrategies;

/**
 * The allocator: applies allocation commands to the pools, with warm-up validation. Data flow:
 *
 * <pre>
 * allocation-commands -> decode (in the source) -> split -> ValidateCommands -> allocation_commands
 *        |                                   |           |  (known pool, certifications)
 *        +-> dead-letters <------------------+-----------+
 *                                                        v
 * pool ticks (every poll interval) -> async Observe ---> keyBy(pool) Reconciler -> calls -> keyBy(pool) async Provision
 *    (what each pool has, on its manager's clock)   ^         |                                    |
 *                                         broadcast |         +-> changes ----+-------------------+-> allocation-status
 *                 (clears removed pools' state) ----+                         +------------------------> allocation_events
 * </pre>
 *
 * Both calls to the managers go through Flink's async I/O (bounded capacity, a timeout, retries
 * with exponential backoff), so a slow cloud API never blocks an operator; every decision is the
 * reconciler's, made on an observation (availability first), so that replays and restarts never
 * allocate twice. No event time: the pools' observations are the reconciler's clock.
 */
public final class AllocationJob {

    public static final String NAME = "foreshadow-allocation";

    private static final long MAX_BACKOFF_MS = 30_000;

    private final Source<Decoded<AllocationCommand>, ?, ?> commands;
    private final AllocationSinks sinks;
    private final AllocationSettings settings;

    public AllocationJob(
            Source<Decoded<AllocationCommand>, ?, ?> commands,
            AllocationSinks sinks,
            AllocationSettings settings) {
        this.commands = commands;
        this.sinks = sinks;
        this.settings = settings;
    }

    /** The job on Kafka and the history database, as configured. */
    public static AllocationJob of(AllocationSettings s) {
        return new AllocationJob(
                s.kafka()
                        .source(
                                s.commandsTopic(),
                                s.groupId(),
                                new CommandDeserializer(s.job().input())),
                AllocationSinks.of(s),
                s);
    }

    public void build(StreamExecutionEnvironment env) {
        env.setMaxParallelism(settings.job().maxParallelism());

        SingleOutputStreamOperator<AllocationCommand> decoded =
                env.fromSource(commands, WatermarkStrategy.noWatermarks(), Uids.COMMANDS_SOURCE)
                        .uid(Uids.COMMANDS_SOURCE)
                        .process(new SplitDeadLetters<AllocationCommand>())
                        .returns(AllocationCommand.class)
                        .uid(Uids.SPLIT_DEAD_LETTERS)
                        .name(Uids.SPLIT_DEAD_LETTERS);
        SingleOutputStreamOperator<AllocationCommand> valid =
                decoded.process(new ValidateCommands(settings.pools()))
                        .uid(Uids.VALIDATE_COMMANDS)
                        .name(Uids.VALIDATE_COMMANDS);

        DataStream<Tick> ticks =
                env.fromSource(
                                PoolTicks.source(
                                        List.copyOf(settings.pools().keySet()),
                                        settings.pollInterval()),
                                WatermarkStrategy.noWatermarks(),
                                Uids.POOL_TICKS)
                        .uid(Uids.POOL_TICKS)
                        .setParallelism(1);
        SingleOutputStreamOperator<ReconcilerInput> observations =
                AsyncDataStream.unorderedWaitWithRetry(
                                ticks,
                                new Observe(settings.pools()),
                                settings.callTimeout().toMillis(),
                                TimeUnit.MILLISECONDS,
                                settings.asyncCapacity(),
                                retries(Observe::failed))
                        .uid(Uids.OBSERVE)
                        .name(Uids.OBSERVE);

        SingleOutputStreamOperator<Call> calls =
                valid.map(ReconcilerInput::of)
                        .uid(Uids.COMMAND_INPUTS)
                        .name(Uids.COMMAND_INPUTS)
                        .union(observations)
                        .keyBy(ReconcilerInput::pool)
                        .connect(ticks.broadcast(Reconciler.ROSTER))
                        .process(new Reconciler(Reconciler.specs(settings.pools())))
                        .uid(Uids.RECONCILER)
                        .name(Uids.RECONCILER);
        SingleOutputStreamOperator<AllocationStatus> outcomes =
                AsyncDataStream.unorderedWaitWithRetry(
                                calls.keyBy(Call::pool),
                                new Provision(settings.pools()),
                                settings.callTimeout().toMillis(),
                                TimeUnit.MILLISECONDS,
                                settings.asyncCapacity(),
                                retries(Provision::failed))
                        .uid(Uids.PROVISION)
                        .name(Uids.PROVISION);

        DataStream<AllocationStatus> status =
                calls.getSideOutput(Reconciler.STATUS).union(outcomes);
        status.sinkTo(sinks.status()).uid(Uids.STATUS_SINK).name(Uids.STATUS_SINK);
        status.sinkTo(sinks.events()).uid(Uids.EVENTS_SINK).name(Uids.EVENTS_SINK);
        valid.sinkTo(sinks.commands()).uid(Uids.COMMANDS_SINK).name(Uids.COMMANDS_SINK);
        DataStream<DeadLetter> rejected =
                decoded.getSideOutput(SplitDeadLetters.DEAD_LETTERS)
                        .union(
                                valid.getSideOutput(ValidateCommands.DEAD_LETTERS),
                                calls.getSideOutput(Reconciler.DEAD_LETTERS));
        rejected.sinkTo(sinks.deadLetters())
                .uid(Uids.DEAD_LETTERS_SINK)
                .name(Uids.DEAD_LETTERS_SINK);
    }

    /** Retries with exponential backoff of results that {@code failed} says are failures. */
    private <T> AsyncRetryStrategy<T> retries(SerializablePredicate<Collection<T>> failed) {
        long first = settings.retryBackoff().toMillis();
        return new AsyncRetryStrategies.ExponentialBackoffDelayRetryStrategyBuilder<T>(
                        settings.callRetries() + 1, first, Math.max(first, MAX_BACKOFF_MS), 2.0)
                .ifResult(failed)
                .build();
    }

    /** A predicate that travels with the job graph. */
    interface SerializablePredicate<T> extends Predicate<T>, Serializable {}
}
