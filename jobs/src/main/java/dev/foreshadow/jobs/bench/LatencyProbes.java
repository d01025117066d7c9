package dev.foreshadow.jobs.bench;

import dev.foreshadow.connectors.json.Json;
import dev.foreshadow.connectors.records.ActionMetrics;
import dev.foreshadow.connectors.records.EventType;
import dev.foreshadow.connectors.records.Security;
import dev.foreshadow.connectors.records.WorkflowEvent;
import dev.foreshadow.jobs.demo.DemoWorkload;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The actions the latency benchmark injects to be flagged, and the history that teaches the
 * detectors what is normal for them. A tenant of its own ({@link #TENANT}) keeps them apart from
 * the demo's workload: its alerts are rate-limited per tenant and paged once per incident of a
 * (workflow type, action type), so the probes have their own tenant and one action type each.
 *
 * <p>Input: a time range (the history) or the instant of a probe. Output: workflow events of
 * one-action runs of workflow type {@link #TYPE}: in the history, {@link #HISTORY_RUNS} runs of
 * every action type with durations and resources drawn around fixed values (lognormal, sigma 0.05:
 * well inside {@code anomaly.min-change}, so they do not alert); a probe is one run of one action
 * type whose action runs {@link #RUNAWAY} times longer (and burns as much more CPU), which
 * ScoreSamples flags once its baseline is warm.
 */
final class LatencyProbes {

    static final String TENANT = "bench-probe";
    static final String TYPE = "probe";

    /** Action types, one per probe: each probe opens an incident of its own. */
    static final int ACTION_TYPES = 24;

    /** History runs of each action type (the detector scores after 30 samples). */
    static final int HISTORY_RUNS = 60;

    /** How many times its usual duration and CPU time a probe's action takes. */
    static final double RUNAWAY = 20;

    private static final Duration TYPICAL = Duration.ofSeconds(1);

    private LatencyProbes() {}

    static String actionType(int i) {
        return String.format("step-%02d", i);
    }

    /**
     * The history of every action type, its runs spread evenly over [from, to), in time order:
     * records to publish with the rest of the backlog.
     */
    static List<DemoWorkload.Record> history(Instant from, Instant to, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long runs = (long) ACTION_TYPES * HISTORY_RUNS;
        long spacing = Duration.between(from, to).toMillis() / runs;
        List<DemoWorkload.Record> records = new ArrayList<>();
        for (int n = 0; n < runs; n++) {
            int type = n % ACTION_TYPES;
            Instant start = from.plusMillis(n * spacing);
            ActionMetrics m = metrics(random, 1);
            List<WorkflowEvent> run =
                    run(
                            "probe-history-" + n,
                            type,
                            start,
                            start.plusMillis(50 + m.durationMs()),
                            m);
            for (WorkflowEvent e : run) {
                records.add(new DemoWorkload.Record(e.time(), e.runId(), Json.bytes(e)));
            }
        }
        return records;
    }

    /**
     * Probe {@code i}: a run of action type {@code i % ACTION_TYPES} whose action ends at {@code
     * at} ({@link EventType#ACTION_FINISHED}, the third event) after running {@link #RUNAWAY} times
     * its usual time; the run's other events 2 ms before and 1 ms after.
     */
    static List<WorkflowEvent> probe(int i, Instant at, SplittableRandom random) {
        return run(
                "probe-live-" + i,
                i % ACTION_TYPES,
                at.minusMillis(2),
                at,
                metrics(random, RUNAWAY));
    }

    /** The run id of probe {@code i}, which its alert carries. */
    static String probeRunId(int i) {
        return "probe-live-" + i;
    }

    private static List<WorkflowEvent> run(
            String runId, int type, Instant start, Instant end, ActionMetrics m) {
        String action = actionType(type);
        String actionId = runId + "/" + action;
        return List.of(
                event(runId + "/s", EventType.WORKFLOW_STARTED, start, runId, null, null, null),
                event(
                        actionId + "/s",
                        EventType.ACTION_STARTED,
                        start.plusMillis(1),
                        runId,
                        action,
                        actionId,
                        ActionMetrics.NONE),
                event(actionId + "/f", EventType.ACTION_FINISHED, end, runId, action, actionId, m),
                event(
                        runId + "/f",
                        EventType.WORKFLOW_FINISHED,
                        end.plusMillis(1),
                        runId,
                        null,
                        null,
                        null));
    }

    private static ActionMetrics metrics(SplittableRandom random, double factor) {
        double duration = TYPICAL.toMillis() * noise(random) * factor;
        return new ActionMetrics(
                Math.round(duration),
                duration / 1000 * 0.8 * noise(random),
                1.0,
                Math.round(256.0 * 1024 * 1024 * noise(random)),
                Math.round(10_000 * noise(random)),
                Math.round(10_000 * noise(random)),
                Math.round(1_000_000 * noise(random)),
                Math.round(1_000_000 * noise(random)));
    }

    /** A lognormal factor, median 1, sigma 0.05. */
    private static double noise(SplittableRandom random) {
        // Box-Muller: one standard normal from two uniforms
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.exp(0.05 * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
    }

    private static WorkflowEvent event(
            String id,
            EventType type,
            Instant time,
            String runId,
            String actionType,
            String actionId,
            ActionMetrics metrics) {
        return new WorkflowEvent(
                id,
                type,
                time,
                TENANT,
                TYPE,
                runId,
                actionType,
                actionId,
                null,
                actionType == null ? null : 1,
                metrics,
                Security.NONE,
                null,
                Map.of());
    }
}
