package dev.foreshadow.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.foreshadow.connectors.json.Json;
import dev.foreshadow.connectors.records.EventType;
import dev.foreshadow.connectors.records.WorkflowEvent;
import dev.foreshadow.jobs.demo.DemoWorkload;
import dev.foreshadow.models.anomaly.ActionScorer;
import dev.foreshadow.models.domain.Metric;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LatencyProbesTest {

    private static final Instant MONDAY_9AM = Instant.parse("2026-11-30T09:00:00Z");

    @Test
    void theHistoryWarmsEveryProbeActionWithoutAlertsAndEachProbeThenAlertsOnItsDuration() {
        List<DemoWorkload.Record> history =
                LatencyProbes.history(MONDAY_9AM.minus(Duration.ofDays(3)), MONDAY_9AM, 7);
        ActionScorer scorer = new ActionScorer();
        int alerts = 0;
        Instant previous = Instant.MIN;
        for (DemoWorkload.Record r : history) {
            WorkflowEvent e = Json.read(r.value(), WorkflowEvent.class);
            assertFalse(r.time().isBefore(previous), "the history is in time order");
            previous = r.time();
            if (e.type() == EventType.ACTION_FINISHED) {
                alerts += score(scorer, e) ? 1 : 0;
            }
        }
        assertEquals(0, alerts, "normal probe actions raise no alert");

        SplittableRandom random = new SplittableRandom(3);
        Set<String> actionTypes = new HashSet<>();
        for (int i = 0; i < LatencyProbes.ACTION_TYPES; i++) {
            List<WorkflowEvent> run = LatencyProbes.probe(i, MONDAY_9AM.plusSeconds(i), random);
            WorkflowEvent end = run.get(2);
            assertEquals(EventType.ACTION_FINISHED, end.type());
            assertEquals(MONDAY_9AM.plusSeconds(i), end.time(), "the action ends at its instant");
            assertEquals(LatencyProbes.probeRunId(i), end.runId());
            assertTrue(score(scorer, end), "probe " + i + " alerts");
            actionTypes.add(end.actionType());
        }
        assertEquals(LatencyProbes.ACTION_TYPES, actionTypes.size(), "one action type per probe");
    }

    @Test
    void quantilesAreNearestRankAndUnknownWhenTheyFallOnAnUnansweredProbe() {
        long[] ms = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100};
        assertEquals(50, LatencyBenchmark.quantile(ms, 10, 0.5));
        assertEquals(100, LatencyBenchmark.quantile(ms, 10, 0.99));
        assertEquals(10, LatencyBenchmark.quantile(ms, 10, 0.01));
        assertEquals(60, LatencyBenchmark.quantile(ms, 12, 0.5), "two probes never answered");
        assertTrue(Double.isNaN(LatencyBenchmark.quantile(ms, 12, 0.99)));
        assertTrue(Double.isNaN(LatencyBenchmark.quantile(new long[0], 0, 0.5)));
    }

    private static boolean score(ActionScorer scorer, WorkflowEvent e) {
        return scorer.score(
                        e.workflowType(),
                        e.actionType(),
                        Metric.DURATION_MS,
                        e.metrics().durationMs(),
                        e.time().toEpochMilli())
                .alert();
    }
}
