package dev.foreshadow.jobs.shadow.dependencies;

import static dev.foreshadow.jobs.Harnesses.keyed;
import static dev.foreshadow.jobs.shadow.dependencies.DependencyFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.foreshadow.connectors.records.WorkflowDependency;
import java.time.Duration;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class DependencyStatisticsTest {

    static final Duration PUBLISH = Duration.ofMinutes(5);
    static final long START = MONDAY_9AM.toEpochMilli();

    private static DependencyStatistics statistics() {
        return new DependencyStatistics(Duration.ofHours(1), 60_000, PUBLISH, 5, RETENTION);
    }

    /** 40 order runs; every fourth starts a payment 2 min later, every eighth a mail 10 min. */
    private static void history(
            KeyedOneInputStreamOperatorTestHarness<String, TriggerObservation, WorkflowDependency>
                    h)
            throws Exception {
        for (int i = 0; i < 40; i++) {
            long start = START + i * 1000L;
            h.processElement(TriggerObservation.parentRun("shop", "order", start), start);
            if (i % 4 == 0) {
                h.processElement(
                        new TriggerObservation("shop", "order", start, "payment", start + 120_000),
                        start);
            }
            if (i % 8 == 0) {
                h.processElement(
                        new TriggerObservation("shop", "order", start, "mail", start + 600_000),
                        start);
            }
        }
    }

    @Test
    void publishesTheShareOfParentRunsThatStartedEachChildAndItsLags() throws Exception {
        var h = keyed(statistics(), TriggerObservation::key);
        history(h);
        h.processWatermark(START + PUBLISH.toMillis());

        assertThat(h.extractOutputValues())
                .hasSize(2)
                .allSatisfy(d -> assertThat(d.parentRuns()).isEqualTo(40))
                .anySatisfy(
                        d -> {
                            assertThat(d.childType()).isEqualTo("payment");
                            assertThat(d.probability()).isEqualTo(0.25);
                            assertThat(d.triggeredRuns()).isEqualTo(10);
                            assertThat(d.lagWeights()).containsExactly(0, 0, 1);
                            assertThat(d.meanLagSeconds()).isCloseTo(150, within(1e-9));
                            assertThat(d.dependency().child()).isEqualTo(d.childKey().encoded());
                        })
                .anySatisfy(
                        d -> {
                            assertThat(d.childType()).isEqualTo("mail");
                            assertThat(d.probability()).isEqualTo(0.125);
                        });
        h.close();
    }

    @Test
    void aPairSeenFewerThanTheMinimumIsNotPublished() throws Exception {
        var h =
                keyed(
                        new DependencyStatistics(
                                Duration.ofHours(1), 60_000, PUBLISH, 6, RETENTION),
                        TriggerObservation::key);
        history(h); // payment 10 times, mail 5
        h.processWatermark(START + PUBLISH.toMillis());

        assertThat(h.extractOutputValues())
                .extracting(WorkflowDependency::childType)
                .containsExactly("payment");
        h.close();
    }

    @Test
    void nothingIsPublishedAgainUntilTheCountsChange() throws Exception {
        var h = keyed(statistics(), TriggerObservation::key);
        history(h);
        h.processWatermark(START + 10 * PUBLISH.toMillis());
        int first = h.extractOutputValues().size();

        h.processWatermark(START + 20 * PUBLISH.toMillis());

        assertThat(h.extractOutputValues()).hasSize(first);
        h.close();
    }

    @Test
    void aParentTypeSilentForTheRetentionLeavesNeitherStateNorTimers() throws Exception {
        var h = keyed(statistics(), TriggerObservation::key);
        history(h);
        assertThat(h.numKeyedStateEntries()).isPositive();

        h.processWatermark(START + RETENTION.plusDays(3).toMillis());

        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
    }
}
