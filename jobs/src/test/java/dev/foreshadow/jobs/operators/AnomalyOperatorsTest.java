package dev.foreshadow.jobs.operators;

import static dev.foreshadow.jobs.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.foreshadow.connectors.records.ActionMetrics;
import dev.foreshadow.connectors.records.ActionSample;
import dev.foreshadow.connectors.records.AllocationCommand;
import dev.foreshadow.connectors.records.Anomaly;
import dev.foreshadow.connectors.records.RunSummary;
import dev.foreshadow.connectors.records.WorkflowEvent;
import dev.foreshadow.models.anomaly.ActionScorer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/** The stateful anomaly operators in keyed harnesses. */
class AnomalyOperatorsTest {

    private static final Instant T0 = Instant.parse("2026-11-28T09:00:00Z");

    @Test
    void aMetricFarFromItsHistoryOpensOneIncidentAndEveryHighScoreFeedsTheSpikePattern()
            throws Exception {
        var h =
                harness(
                        new ScoreSamples(Duration.ofMinutes(10), ActionScorer.AlertRule.DEFAULT),
                        ActionStatsWindow::key);
        for (int i = 0; i < 80; i++) {
            h.processElement(
                    sample("e" + i, T0.plusSeconds(60L * i), 1000 + (i % 7) * 10),
                    T0.plusSeconds(60L * i).toEpochMilli());
        }
        h.processWatermark(T0.plusSeconds(60L * 79).toEpochMilli());
        assertThat(h.extractOutputValues()).as("no alert on ordinary history").isEmpty();

        for (int i = 80; i < 83; i++) {
            h.processElement(
                    sample("e" + i, T0.plusSeconds(60L * i), 60_000),
                    T0.plusSeconds(60L * i).toEpochMilli());
        }
        assertThat(h.extractOutputValues()).as("samples wait for the watermark").isEmpty();
        h.processWatermark(T0.plusSeconds(60L * 83).toEpochMilli());

        List<Anomaly> alerts = h.extractOutputValues();
        assertThat(alerts)
                .filteredOn(a -> a.metric().equals("durationMs"))
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.kind()).isEqualTo("metric");
                            assertThat(a.observed()).isEqualTo(60_000);
                            assertThat(a.expected()).isBetween(900.0, 1200.0);
                            assertThat(a.score()).isGreaterThanOrEqualTo(0.9);
                        });
        assertThat(values(h.getSideOutput(ScoreSamples.HIGH_SCORES)))
                .filteredOn(a -> a.metric().equals("durationMs"))
                .hasSizeGreaterThanOrEqualTo(2);
        h.close();
    }

    @Test
    void aDropAlertsOnlyWhenTheDirectionAdmitsIt() throws Exception {
        for (ActionScorer.Direction side : ActionScorer.Direction.values()) {
            var h =
                    harness(
                            new ScoreSamples(
                                    Duration.ofMinutes(10), new ActionScorer.AlertRule(side, 0.2)),
                            ActionStatsWindow::key);
            for (int i = 0; i < 80; i++) {
                long duration = i < 77 ? 1000 + (i % 7) * 10 : 10;
                h.processElement(
                        sample("e" + i, T0.plusSeconds(60L * i), duration),
                        T0.plusSeconds(60L * i).toEpochMilli());
            }
            h.processWatermark(Long.MAX_VALUE);
            List<Anomaly> high = values(h.getSideOutput(ScoreSamples.HIGH_SCORES));
            if (side == ActionScorer.Direction.ABOVE) {
                assertThat(h.extractOutputValues()).as("no alert on a drop").isEmpty();
                assertThat(high).as("a drop never feeds the spike pattern").isEmpty();
            } else {
                assertThat(h.extractOutputValues())
                        .as("alert on a drop, %s", side)
                        .singleElement()
                        .satisfies(a -> assertThat(a.observed()).isLessThan(a.expected()));
                assertThat(high).isNotEmpty().allMatch(a -> a.observed() < a.expected());
            }
            h.close();
        }
    }

    @Test
    void samplesAreScoredInEventTimeOrderWhateverOrderTheyArriveIn() throws Exception {
        List<ActionSample> inOrder = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            long duration = i >= 100 && i % 3 == 0 ? 50_000 : 1000 + (i * 37 % 11) * 20;
            inOrder.add(sample(String.format("e%03d", i), T0.plusSeconds(30L * i), duration));
        }
        List<ActionSample> shuffled = new ArrayList<>(inOrder);
        java.util.Collections.shuffle(shuffled, new java.util.Random(7));

        assertThat(scores(shuffled)).isEqualTo(scores(inOrder)).isNotEmpty();
    }

    /**
     * The high scores ScoreSamples gives a stream delivered in the given order, then a final
     * watermark.
     */
    private static List<String> scores(List<ActionSample> arrival) throws Exception {
        var h =
                harness(
                        new ScoreSamples(Duration.ofMinutes(10), ActionScorer.AlertRule.DEFAULT),
                        ActionStatsWindow::key);
        for (ActionSample s : arrival) {
            h.processElement(s, s.time().toEpochMilli());
        }
        h.processWatermark(Long.MAX_VALUE);
        List<String> out =
                values(h.getSideOutput(ScoreSamples.HIGH_SCORES)).stream()
                        .map(a -> a.anomalyId() + "=" + a.score())
                        .toList();
        h.close();
        return out;
    }

    @Test
    void anActionRunningFarPastItsTypesP99IsFlaggedOnceBeforeItFinishes() throws Exception {
        var h = harness(new StuckActions(3.0, 20), StuckActions::key);
        for (int i = 0; i < 20; i++) {
            Instant start = T0.plusSeconds(10L * i);
            send(h, actionStarted("r" + i, "ship", 1, start));
            send(h, actionFinished("r" + i, "ship", 1, start.plusSeconds(1), metrics(1000)));
        }
        Instant start = T0.plusSeconds(1000);
        send(h, actionStarted("slow", "ship", 1, start));

        h.processWatermark(start.plusMillis(2999).toEpochMilli());
        assertThat(h.extractOutputValues()).isEmpty();
        h.processWatermark(start.plusSeconds(10).toEpochMilli());

        assertThat(h.extractOutputValues())
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.kind()).isEqualTo("stuck-action");
                            assertThat(a.runId()).isEqualTo("slow");
                            assertThat(a.expected()).isEqualTo(1000);
                            assertThat(a.observed()).isEqualTo(3000);
                        });
        send(h, actionFinished("slow", "ship", 1, start.plusSeconds(20), metrics(20_000)));
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
    }

    @Test
    void aFinishedActionCancelsItsStuckTimer() throws Exception {
        var h = harness(new StuckActions(3.0, 1), StuckActions::key);
        send(h, actionStarted("a", "ship", 1, T0));
        send(h, actionFinished("a", "ship", 1, T0.plusSeconds(1), metrics(1000)));
        send(h, actionStarted("b", "ship", 1, T0.plusSeconds(5)));
        assertThat(h.numEventTimeTimers()).isEqualTo(1);

        send(h, actionFinished("b", "ship", 1, T0.plusSeconds(6), metrics(1000)));
        h.processWatermark(T0.plusSeconds(60).toEpochMilli());

        assertThat(h.numEventTimeTimers()).isZero();
        assertThat(h.extractOutputValues()).isEmpty();
        h.close();
    }

    @Test
    void anActionStartingWithoutTheActionThatAlwaysPrecededItIsOutOfOrder() throws Exception {
        var h = harness(new ActionOrder(20), ActionOrder::key);
        for (int i = 0; i < 20; i++) {
            Instant t = T0.plusSeconds(100L * i);
            send(h, actionStarted("r" + i, "reserve-stock", 1, t));
            send(h, actionStarted("r" + i, "charge-card", 2, t.plusSeconds(1)));
            send(h, actionStarted("r" + i, "ship", 3, t.plusSeconds(2)));
            send(h, runFinished("r" + i, t.plusSeconds(3)));
        }
        assertThat(h.extractOutputValues()).isEmpty();

        send(h, actionStarted("odd", "reserve-stock", 1, T0.plusSeconds(5000)));
        send(h, actionStarted("odd", "ship", 3, T0.plusSeconds(5001)));

        assertThat(h.extractOutputValues())
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.kind()).isEqualTo("unexpected-order");
                            assertThat(a.actionType()).isEqualTo("ship");
                            assertThat(a.context()).containsEntry("missingBefore", "charge-card");
                        });
        send(h, runFinished("odd", T0.plusSeconds(5002)));
        h.close();
    }

    @Test
    void aRunCostingMoreThanItsTypesP99IsAnOverrun() throws Exception {
        var h = harness(new CostOverrun(20), CostOverrun::key);
        for (int i = 0; i < 30; i++) {
            h.processElement(run("r" + i, 1.0 + (i % 5) * 0.01), 0);
        }
        h.processElement(run("pricey", 5.0), 0);

        assertThat(h.extractOutputValues())
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.kind()).isEqualTo("cost-overrun");
                            assertThat(a.runId()).isEqualTo("pricey");
                            assertThat(a.observed()).isEqualTo(5.0);
                            assertThat(a.expected()).isBetween(1.0, 1.05);
                        });
        h.close();
    }

    @Test
    void sustainedSpikesAreReportedOncePerIncident() throws Exception {
        var h = harness(new Patterns.OncePerIncident(), Patterns::spikeKey);
        h.processElement(spike("s1", "1000"), 0);
        h.processElement(spike("s2", "1000"), 0);
        h.processElement(spike("s3", "5000"), 0);

        assertThat(h.extractOutputValues())
                .extracting(Anomaly::anomalyId)
                .containsExactly("s1", "s3");
        h.close();
    }

    @Test
    void keyedByIncidentTheSpikesOfSeveralMetricsAreOneAlert() throws Exception {
        var h = harness(new Patterns.OncePerIncident(), Patterns::incidentKey);
        h.processElement(spike("cores", "1000"), 0);
        h.processElement(spike("memory", "1000", "peakMemoryBytes"), 0);
        h.processElement(spike("later", "5000", "peakMemoryBytes"), 0);

        assertThat(h.extractOutputValues())
                .extracting(Anomaly::anomalyId)
                .containsExactly("cores", "later");
        h.close();
    }

    private static Anomaly spike(String id, String incident) {
        return spike(id, incident, "peakCores");
    }

    private static Anomaly spike(String id, String incident, String metric) {
        return new Anomaly(
                id,
                "sustained-spike",
                T0,
                "shop",
                "etl",
                null,
                "load",
                null,
                metric,
                6,
                2,
                1,
                Map.of(ScoreSamples.INCIDENT_CONTEXT, incident));
    }

    @Test
    void alertsPastTheBurstOfATenantAreHeldBack() throws Exception {
        var h = harness(new RateLimitAlerts(1, 2), Anomaly::tenant);
        h.setProcessingTime(1_000);
        for (int i = 0; i < 5; i++) {
            h.processElement(anomaly("a" + i, "shop"), 0);
        }
        h.processElement(anomaly("other", "bank"), 0);

        assertThat(h.extractOutputValues())
                .extracting(Anomaly::anomalyId)
                .containsExactly("a0", "a1", "other");
        h.close();
    }

    @Test
    void aSustainedCoreSpikeAsksForTheMissingCoresNow() {
        Anomaly spike =
                new Anomaly(
                        "s1",
                        "sustained-spike",
                        T0,
                        "shop",
                        "etl",
                        null,
                        "load",
                        null,
                        "peakCores",
                        6.2,
                        2.0,
                        1.0,
                        Map.of());
        List<AllocationCommand> out = new ArrayList<>();
        new ScaleUpOnSpike(1, Duration.ofMinutes(30)).flatMap(spike, collector(out));
        new ScaleUpOnSpike(1, Duration.ofMinutes(30))
                .flatMap(
                        new Anomaly(
                                "s2",
                                "sustained-spike",
                                T0,
                                "shop",
                                "etl",
                                null,
                                "load",
                                null,
                                "durationMs",
                                9,
                                1,
                                1,
                                Map.of()),
                        collector(out));
        new ScaleUpOnSpike(1, Duration.ofMinutes(30))
                .flatMap(
                        new Anomaly(
                                "s3",
                                "sustained-spike",
                                T0,
                                "shop",
                                "etl",
                                null,
                                "load",
                                null,
                                "peakMemoryBytes",
                                1e6,
                                8e9,
                                1,
                                Map.of()),
                        collector(out));

        assertThat(out)
                .singleElement()
                .satisfies(
                        c -> {
                            assertThat(c.reason()).isEqualTo("anomaly");
                            assertThat(c.pool()).isEqualTo("shop/etl");
                            assertThat(c.cores()).isEqualTo(5.0);
                            assertThat(c.instances()).isEqualTo(1);
                            assertThat(c.readyBy()).isEqualTo(T0);
                            assertThat(c.expiresAt()).isEqualTo(T0.plus(Duration.ofMinutes(30)));
                        });
    }

    private static <I, O> KeyedOneInputStreamOperatorTestHarness<String, I, O> harness(
            KeyedProcessFunction<String, I, O> f,
            org.apache.flink.api.java.functions.KeySelector<I, String> key)
            throws Exception {
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(f), key, Types.STRING);
        h.open();
        return h;
    }

    private static void send(
            KeyedOneInputStreamOperatorTestHarness<String, WorkflowEvent, Anomaly> h,
            WorkflowEvent e)
            throws Exception {
        h.processElement(e, e.time().toEpochMilli());
    }

    private static ActionMetrics metrics(long durationMs) {
        return new ActionMetrics(durationMs, 0.1, 0.5, 1000L, 0L, 0L, 0L, 0L);
    }

    private static ActionSample sample(String id, Instant t, long durationMs) {
        return new ActionSample(
                id,
                t,
                t.minusMillis(durationMs),
                "shop",
                "etl",
                "run-" + id,
                "load",
                "a-" + id,
                false,
                1,
                durationMs,
                0.5,
                1.0,
                1 << 20,
                1000,
                1000,
                0,
                0,
                null,
                List.of(),
                0.001,
                "USD",
                true,
                Map.of());
    }

    private static RunSummary run(String id, double cost) {
        return new RunSummary(
                id,
                T0,
                T0.plusSeconds(60),
                "shop",
                "etl",
                null,
                RunSummary.COMPLETED,
                3,
                0,
                1,
                1,
                0,
                0,
                0,
                cost,
                "USD",
                List.of());
    }

    private static Anomaly anomaly(String id, String tenant) {
        return new Anomaly(
                id,
                "metric",
                T0,
                tenant,
                "etl",
                "r",
                "load",
                "a",
                "durationMs",
                2,
                1,
                0.95,
                Map.of());
    }

    private static <T> List<T> values(java.util.Queue<StreamRecord<T>> records) {
        return records == null
                ? List.of()
                : records.stream().map(StreamRecord::getValue).collect(Collectors.toList());
    }

    private static <T> Collector<T> collector(List<T> out) {
        return new Collector<>() {
            @Override
            public void collect(T record) {
                out.add(record);
            }

            @Override
            public void close() {}
        };
    }
}
