package dev.foreshadow.jobs.operators;

import dev.foreshadow.connectors.records.Anomaly;
import dev.foreshadow.connectors.records.RunSummary;
import dev.foreshadow.models.stats.Reservoir;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Flags a completed run that cost more than the p99 of its (tenant, workflow type)'s completed runs
 * so far ({@code cost-overrun}; observed: its cost, expected: the p99). A type needs {@code
 * minHistory} runs first. In: {@link RunSummary}s keyed by {@link #key}.
 */
public final class CostOverrun extends KeyedProcessFunction<String, RunSummary, Anomaly> {

    private static final long serialVersionUID = 1L;

    private final int minHistory;

    /** Costs of the type's completed runs: the p99 baseline. Kept for the life of the job. */
    private transient ValueState<Reservoir> costs;

    public CostOverrun(int minHistory) {
        this.minHistory = minHistory;
    }

    public static String key(RunSummary r) {
        return r.tenant() + "\u0000" + r.workflowType();
    }

    @Override
    public void open(OpenContext openContext) {
        costs =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "run-costs", Types.GENERIC(Reservoir.class)));
    }

    @Override
    public void processElement(RunSummary r, Context ctx, Collector<Anomaly> out) throws Exception {
        if (!RunSummary.COMPLETED.equals(r.status())) {
            return;
        }
        Reservoir history = costs.value();
        if (history == null) {
            history = new Reservoir(2048, 0xc057);
        }
        if (history.count() >= minHistory) {
            double p99 = history.quantile(0.99);
            if (r.cost() > p99) {
                out.collect(
                        new Anomaly(
                                Anomalies.COST_OVERRUN + ":" + r.runId(),
                                Anomalies.COST_OVERRUN,
                                r.endTime(),
                                r.tenant(),
                                r.workflowType(),
                                r.runId(),
                                null,
                                null,
                                "cost",
                                r.cost(),
                                p99,
                                Math.min(1, 0.5 + (r.cost() - p99) / (2 * Math.max(p99, 1e-12))),
                                Map.of(
                                        "currency",
                                        r.currency(),
                                        "historyRuns",
                                        Long.toString(history.count()))));
            }
        }
        history.add(r.cost());
        costs.update(history);
    }
}
