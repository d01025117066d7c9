package dev.foreshadow.jobs.allocation;

import dev.foreshadow.connectors.json.Json;
import dev.foreshadow.connectors.records.AllocationCommand;
import dev.foreshadow.connectors.records.DeadLetter;
import dev.foreshadow.jobs.common.JobMetrics;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The checks of a decoded command that need the configuration: its pool must be configured and hold
 * every certification the command asks for. Input: decoded commands. Output: the commands that
 * pass; the others on {@link #DEAD_LETTERS} with the reason.
 */
final class ValidateCommands extends ProcessFunction<AllocationCommand, AllocationCommand> {

    private static final long serialVersionUID = 1L;

    static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("rejected-commands") {};

    private final Map<String, List<String>> certificationsByPool;

    private transient Counter accepted;

    /**
     * Commands dead-lettered, by the field the reason names ({@code pool}, {@code certifications}).
     */
    private transient JobMetrics.Labelled rejected;

    ValidateCommands(Map<String, AllocationSettings.Pool> pools) {
        this.certificationsByPool =
                pools.values().stream()
                        .collect(
                                java.util.stream.Collectors.toMap(
                                        p -> p.id().name(),
                                        AllocationSettings.Pool::certifications));
    }

    @Override
    public void open(OpenContext openContext) {
        accepted = getRuntimeContext().getMetricGroup().counter(JobMetrics.COMMANDS_ACCEPTED);
        rejected =
                new JobMetrics.Labelled(
                        getRuntimeContext().getMetricGroup(),
                        JobMetrics.COMMANDS_REJECTED,
                        JobMetrics.REASON);
    }

    @Override
    public void processElement(AllocationCommand c, Context ctx, Collector<AllocationCommand> out) {
        List<String> held = certificationsByPool.get(c.pool());
        String reason = null;
        if (held == null) {
            reason =
                    "pool: '"
                            + c.pool()
                            + "' is not a configured pool (allocation.pools: "
                            + String.join(
                                    ", ", new java.util.TreeSet<>(certificationsByPool.keySet()))
                            + ")";
        } else {
            List<String> missing =
                    c.certifications().stream().filter(x -> !held.contains(x)).toList();
            if (!missing.isEmpty()) {
                reason =
                        "certifications: pool "
                                + c.pool()
                                + " does not hold "
                                + String.join(", ", missing);
            }
        }
        if (reason == null) {
            accepted.inc();
            out.collect(c);
        } else {
            DeadLetter dead =
                    DeadLetter.of(
                            Uids.VALIDATE_COMMANDS,
                            reason,
                            Instant.ofEpochMilli(ctx.timerService().currentProcessingTime()),
                            Json.bytes(c));
            rejected.inc(dead.reasonField());
            ctx.output(DEAD_LETTERS, dead);
        }
    }
}
