package dev.foreshadow.jobs.shadow.forecast;

import static dev.foreshadow.jobs.Harnesses.keyed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.foreshadow.connectors.records.Arrivals;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class ArrivalShapesTest {

    static final Instant MONDAY = Instant.parse("2026-11-30T00:00:00Z");
    static final Duration STEP = Duration.ofMinutes(5);
    static final Duration RETENTION = Duration.ofDays(30);

    private static KeyedOneInputStreamOperatorTestHarness<String, Arrivals, ForecastContext>
            harness() throws Exception {
        return keyed(new ArrivalShapes(STEP, RETENTION), ArrivalShapes::key);
    }

    /** Orders arrive 3 a step in the day's first half hour and 1 a step in its last. */
    private static void twoDaysOfOrders(
            KeyedOneInputStreamOperatorTestHarness<String, Arrivals, ForecastContext> h)
            throws Exception {
        for (int day = 0; day < 2; day++) {
            Instant midnight = MONDAY.plus(Duration.ofDays(day));
            for (int s = 0; s < 6; s++) {
                Instant at = midnight.plus(STEP.multipliedBy(s));
                h.processElement(new Arrivals(at, "shop", "orders", 3), at.toEpochMilli());
                Instant late = midnight.plus(Duration.ofDays(1)).minus(STEP.multipliedBy(s + 1));
                h.processElement(new Arrivals(late, "shop", "orders", 1), late.toEpochMilli());
            }
        }
    }

    @Test
    void aTypeIsPublishedOnceItHasTwoDaysOfHistoryWithItsMeanRunsPerSlot() throws Exception {
        var h = harness();
        twoDaysOfOrders(h);

        List<ForecastContext> out = h.extractOutputValues();
        assertThat(out).singleElement();
        ArrivalShape shape = out.get(0).shape();
        assertThat(shape.tenant()).isEqualTo("shop");
        assertThat(shape.workflowType()).isEqualTo("orders");
        assertThat(shape.perSlot()).hasSize(288);
        assertThat(shape.perSlot()[0]).isCloseTo(3, within(1e-9));
        assertThat(shape.perSlot()[287]).isCloseTo(1, within(1e-9));
        assertThat(shape.perSlot()[100]).isZero();
        h.close();
    }

    @Test
    void aPublishedTypeIsPublishedAgainAfterAnHourOfNewHistory() throws Exception {
        var h = harness();
        twoDaysOfOrders(h);
        Instant wednesday = MONDAY.plus(Duration.ofDays(2));
        h.processElement(
                new Arrivals(wednesday.plusSeconds(60), "shop", "orders", 3),
                wednesday.toEpochMilli());
        h.processElement(
                new Arrivals(wednesday.plusSeconds(3600), "shop", "orders", 3),
                wednesday.toEpochMilli());

        assertThat(h.extractOutputValues()).hasSize(2);
        h.close();
    }

    @Test
    void aTenantSilentForTheRetentionLeavesNeitherStateNorTimers() throws Exception {
        var h = harness();
        twoDaysOfOrders(h);
        assertThat(h.numKeyedStateEntries()).isPositive();

        h.processWatermark(MONDAY.plus(RETENTION).plus(Duration.ofDays(4)).toEpochMilli());

        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
    }
}
