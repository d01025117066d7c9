package dev.foreshadow.jobs.shadow.anomalies;

import static dev.foreshadow.jobs.Harnesses.keyed;
import static dev.foreshadow.jobs.Harnesses.values;
import static dev.foreshadow.jobs.shadow.anomalies.OperatorFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.foreshadow.connectors.records.ActionSample;
import dev.foreshadow.connectors.records.Anomaly;
import dev.foreshadow.jobs.shadow.statistics.ActionStatsWindow;
import dev.foreshadow.models.anomaly.ActionScorer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class ScoreSamplesTest {

    @Test
    void aMetricFarFromItsHistoryOpensOneIncidentAndEveryHighScoreFeedsTheSpikePattern()
            throws Exception {
        var h = harness(ActionScorer.AlertRule.DEFAULT);
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
            var h = harness(new ActionScorer.AlertRule(side, 0.2));
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
    void aFastSampleDoesNotHideTheSlowdownThatFollowsIt() throws Exception {
        var h = harness(ActionScorer.AlertRule.DEFAULT);
        for (int i = 0; i < 80; i++) {
            h.processElement(
                    sample("e" + i, T0.plusSeconds(60L * i), 1000 + (i % 7) * 10),
                    T0.plusSeconds(60L * i).toEpochMilli());
        }
        h.processElement(sample("fast", T0.plusSeconds(60L * 80), 50), 0);
        h.processElement(sample("slow", T0.plusSeconds(60L * 81), 60_000), 0);
        h.processWatermark(T0.plusSeconds(60L * 82).toEpochMilli());

        List<Anomaly> alerts = h.extractOutputValues();
        assertThat(alerts)
                .as("one incident below the baseline, then one above it, a minute apart")
                .filteredOn(a -> a.metric().equals("durationMs"))
                .extracting(Anomaly::observed)
                .containsExactly(50.0, 60_000.0);
        assertThat(alerts)
                .allSatisfy(
                        a ->
                                assertThat(a.context())
                                        .containsEntry(
                                                ScoreSamples.BASELINE_SAMPLES_CONTEXT,
                                                a.observed() == 50 ? "81" : "82")
                                        .containsEntry(
                                                ScoreSamples.SECOND_VIEW_SAMPLES_CONTEXT,
                                                a.observed() == 50 ? "81" : "82"));
        h.close();
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

    @Test
    void samplesWaitingForTheWatermarkLeaveNoTimersOnceScored() throws Exception {
        var h = harness(ActionScorer.AlertRule.DEFAULT);
        for (int i = 0; i < 10; i++) {
            h.processElement(
                    sample("e" + i, T0.plusSeconds(i), 1000), T0.plusSeconds(i).toEpochMilli());
        }
        assertThat(h.numEventTimeTimers())
                .as("one per waiting time, one to forget the key")
                .isEqualTo(11);

        h.processWatermark(T0.plusSeconds(10).toEpochMilli());

        assertThat(h.numEventTimeTimers()).as("only the one that forgets the key").isEqualTo(1);
        h.close();
    }

    @Test
    void aKeySilentForTheRetentionLeavesNeitherStateNorTimers() throws Exception {
        var h = harness(ActionScorer.AlertRule.DEFAULT);
        for (int i = 0; i < 83; i++) {
            long duration = i < 80 ? 1000 + (i % 7) * 10 : 60_000;
            h.processElement(
                    sample("e" + i, T0.plusSeconds(60L * i), duration),
                    T0.plusSeconds(60L * i).toEpochMilli());
        }
        h.processWatermark(T0.plusSeconds(60L * 83).toEpochMilli());
        assertThat(h.extractOutputValues()).as("an incident was tracked").isNotEmpty();
        assertThat(h.numKeyedStateEntries()).isPositive();

        h.processWatermark(LONG_AFTER);

        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
    }

    /**
     * The high scores ScoreSamples gives a stream delivered in the given order, then a final
     * watermark.
     */
    private static List<String> scores(List<ActionSample> arrival) throws Exception {
        var h = harness(ActionScorer.AlertRule.DEFAULT);
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

    private static KeyedOneInputStreamOperatorTestHarness<String, ActionSample, Anomaly> harness(
            ActionScorer.AlertRule rule) throws Exception {
        return keyed(
                new ScoreSamples(Duration.ofMinutes(10), rule, RETENTION), ActionStatsWindow::key);
    }
}
