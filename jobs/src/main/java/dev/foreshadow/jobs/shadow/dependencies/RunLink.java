package dev.foreshadow.jobs.shadow.dependencies;

import dev.foreshadow.connectors.records.RunSummary;
import dev.foreshadow.models.domain.RunKey;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * A run summary addressed to a run: to the run itself ({@code asParent}: it may have started
 * others), or to the run that triggered it. {@link MatchTriggers} is keyed by {@link #runKey}.
 */
public record RunLink(String runKey, boolean asParent, RunSummary run) {

    /** The links of one summary: to itself, and to its trigger when the engine reported one. */
    public static List<RunLink> of(RunSummary r) {
        List<RunLink> out = new ArrayList<>(2);
        out.add(new RunLink(new RunKey(r.tenant(), r.runId()).encoded(), true, r));
        if (r.triggeredBy() != null && !r.triggeredBy().isBlank()) {
            out.add(new RunLink(new RunKey(r.tenant(), r.triggeredBy()).encoded(), false, r));
        }
        return out;
    }

    /** {@link #of} as an operator. */
    public static final class Split implements FlatMapFunction<RunSummary, RunLink> {
        private static final long serialVersionUID = 1L;

        @Override
        public void flatMap(RunSummary r, Collector<RunLink> out) {
            of(r).forEach(out::collect);
        }
    }
}
