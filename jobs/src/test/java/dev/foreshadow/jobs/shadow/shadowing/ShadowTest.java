package dev.foreshadow.jobs.shadow.shadowing;

import static dev.foreshadow.jobs.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.foreshadow.connectors.records.ActionMetrics;
import dev.foreshadow.connectors.records.ActionSample;
import dev.foreshadow.connectors.records.Arrivals;
import dev.foreshadow.connectors.records.RunSummary;
import dev.foreshadow.connectors.records.WorkflowEvent;
import dev.foreshadow.models.cost.PriceCatalog;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Shadow operator in a keyed harness: what it emits, and that no state or timer outlives a run.
 */
class ShadowTest {

    private static final Duration TTL = Duration.ofHours(1);
    private static final Duration GRACE = Duration.ofSeconds(30);
    private static final PriceCatalog PRICES = new PriceCatalog(0.01, 0.001, 1.0, "USD");
    private static final Instant T0 = Instant.parse("2026-11-28T09:00:00Z");

    private KeyedOneInputStreamOperatorTestHarness<String, WorkflowEvent, ActionSample> harness;

    @BeforeEach
    void openHarness() throws Exception {
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new Shadow(TTL, GRACE, PRICES)),
                        Shadow::runKey,
                        Types.STRING);
        harness.open();
    }

    @AfterEach
    void closeHarness() throws Exception {
        harness.close();
    }

    @Test
    void emitsASamplePricedFromTheCatalogWhenAnActionEnds() throws Exception {
        send(runStarted("r1", T0));
        send(actionStarted("r1", "charge-card", 1, T0.plusSeconds(1)));
        send(actionFinished("r1", "charge-card", 1, T0.plusSeconds(2), CHARGE_CARD_METRICS));

        List<ActionSample> samples = samples();
        assertThat(samples).hasSize(1);
        ActionSample s = samples.get(0);
        assertThat(s.startTime()).isEqualTo(T0.plusSeconds(1));
        assertThat(s.durationMs()).isEqualTo(812);
        assertThat(s.certifications()).containsExactly("PCI-DSS");
        double expected = 0.41 * 0.01 + s.memoryGibSeconds() * 0.001 + (18_234 + 9_120) / 1e9 * 1.0;
        assertThat(s.cost()).isCloseTo(expected, within(1e-12));
        assertThat(s.costEstimated()).isTrue();
        assertThat(harness.getSideOutput(Shadow.RUN_STARTS))
                .extracting(StreamRecord::getValue)
                .containsExactly(new Arrivals(T0, "shop", "order-fulfilment", 1));
    }

    @Test
    void reportsEachActionAStartedRunEndsAndThoseEndedBeforeItsStartCame() throws Exception {
        send(actionFinished("r1", "charge-card", 1, T0.plusSeconds(2), CHARGE_CARD_METRICS));
        assertThat(harness.getSideOutput(Shadow.RUN_PROGRESS))
                .as("not started yet: nowhere to place it")
                .isNull();
        send(runStarted("r1", T0));
        send(actionFinished("r1", "ship", 2, T0.plusSeconds(5), CHARGE_CARD_METRICS));
        send(actionFinished("r1", "ship", 2, T0.plusSeconds(5), CHARGE_CARD_METRICS)); // again
        send(runFinished("r1", T0.plusSeconds(6)));
        harness.processWatermark(T0.plus(GRACE).plusSeconds(60).toEpochMilli());

        long start = T0.toEpochMilli();
        assertThat(harness.getSideOutput(Shadow.RUN_PROGRESS))
                .extracting(StreamRecord::getValue)
                .containsExactly(
                        new RunProgress("shop", "order-fulfilment", start, 0, 1, start),
                        new RunProgress("shop", "order-fulfilment", start, 1, 2, start + 5_000));
        RunSummary summary = harness.getSideOutput(Shadow.RUN_SUMMARIES).poll().getValue();
        assertThat(summary.actions())
                .as("the summary takes the run off at the count the last report gave")
                .isEqualTo(2);
        // its two actions ended 2 s and 5 s after its start: when it had ended each eighth of them
        assertThat(summary.progress())
                .containsExactly(500L, 1000L, 1500L, 2000L, 2750L, 3500L, 4250L, 5000L);
    }

    @Test
    void ignoresADuplicateEvent() throws Exception {
        WorkflowEvent finished =
                withCost(actionFinished("r1", "ship", 1, T0, CHARGE_CARD_METRICS), 2.0);
        send(finished);
        send(finished);

        assertThat(samples()).hasSize(1);
        assertThat(samples().get(0).cost()).isEqualTo(2.0);
        assertThat(samples().get(0).costEstimated()).isFalse();
    }

    @Test
    void anActionFinishedBeforeItsStartTakesItsStartFromItsDurationAndTheLateStartIsIgnored()
            throws Exception {
        send(actionFinished("r1", "ship", 1, T0.plusSeconds(10), CHARGE_CARD_METRICS));
        send(actionStarted("r1", "ship", 1, T0.plusSeconds(9)));
        send(runFinished("r1", T0.plusSeconds(11)));
        harness.processWatermark(T0.plusSeconds(11).plus(GRACE).toEpochMilli());

        assertThat(samples())
                .singleElement()
                .satisfies(
                        s -> {
                            assertThat(s.startTime())
                                    .isEqualTo(T0.plusSeconds(10).minusMillis(812));
                            assertThat(s.time()).isEqualTo(T0.plusSeconds(10));
                        });
        assertThat(summaries())
                .singleElement()
                .satisfies(r -> assertThat(r.actions()).isEqualTo(1));
    }

    @Test
    void aFinishedRunWaitsItsGraceForStragglersThenIsSummedUpAndForgotten() throws Exception {
        send(runStarted("r1", T0));
        send(actionStarted("r1", "ship", 1, T0.plusSeconds(1)));
        send(runFinished("r1", T0.plusSeconds(5)));
        send(actionFailed("r1", "ship", 1, T0.plusSeconds(6), CHARGE_CARD_METRICS)); // straggler
        harness.processWatermark(T0.plusSeconds(5).plus(GRACE).toEpochMilli() - 1);
        assertThat(summaries()).isEmpty();

        harness.processWatermark(T0.plusSeconds(5).plus(GRACE).toEpochMilli());

        assertThat(summaries())
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.status()).isEqualTo(RunSummary.COMPLETED);
                            assertThat(r.startTime()).isEqualTo(T0);
                            assertThat(r.endTime()).isEqualTo(T0.plusSeconds(5));
                            assertThat(r.actions()).isEqualTo(1);
                            assertThat(r.failedActions()).isEqualTo(1);
                            assertThat(r.cpuSeconds()).isEqualTo(0.41);
                        });
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aRunSilentForItsTtlIsRecordedAsAbandonedAndForgotten() throws Exception {
        send(runStarted("r1", T0));
        send(actionStarted("r1", "ship", 1, T0.plusSeconds(1)));
        harness.processWatermark(T0.plusSeconds(1).plus(TTL).toEpochMilli() - 1);
        assertThat(summaries()).isEmpty();
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        harness.processWatermark(T0.plusSeconds(1).plus(TTL).toEpochMilli());

        assertThat(summaries())
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.status()).isEqualTo(RunSummary.ABANDONED);
                            assertThat(r.endTime()).isEqualTo(T0.plusSeconds(1));
                        });
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void eachEventPushesTheTtlBackSoOneTimerStaysPerRun() throws Exception {
        send(runStarted("r1", T0));
        send(actionStarted("r1", "ship", 1, T0.plus(Duration.ofMinutes(50))));
        harness.processWatermark(T0.plus(TTL).toEpochMilli());

        assertThat(summaries()).isEmpty();
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    }

    @Test
    void runsAreKeptApartByTenantAndRunId() throws Exception {
        send(runStarted("r1", T0));
        send(runStarted("r2", T0));
        send(ofTenant("bank", runStarted("r1", T0)));
        send(
                ofTenant(
                        "bank",
                        actionFinished(
                                "r1",
                                "ship",
                                1,
                                T0.plusSeconds(1),
                                new ActionMetrics(100L, 1.0, 1.0, 0L, 0L, 0L, 0L, 0L))));

        assertThat(samples())
                .extracting(s -> s.tenant() + "/" + s.runId())
                .containsExactly("bank/r1");
        assertThat(harness.getSideOutput(Shadow.RUN_STARTS)).hasSize(3);
        assertThat(harness.numKeyedStateEntries())
                .as("shop/r1, shop/r2 and bank/r1 each have their own run")
                .isGreaterThanOrEqualTo(3);
    }

    /** The same event from another tenant (run ids need only be unique within a tenant). */
    private static WorkflowEvent ofTenant(String tenant, WorkflowEvent e) {
        return new WorkflowEvent(
                e.eventId(),
                e.type(),
                e.time(),
                tenant,
                e.workflowType(),
                e.runId(),
                e.actionType(),
                e.actionId(),
                e.triggeredBy(),
                e.attempt(),
                e.metrics(),
                e.security(),
                e.cost(),
                e.attributes());
    }

    private void send(WorkflowEvent e) throws Exception {
        harness.processElement(e, e.time().toEpochMilli());
    }

    private List<ActionSample> samples() {
        return harness.extractOutputValues();
    }

    private List<RunSummary> summaries() {
        var out = harness.getSideOutput(Shadow.RUN_SUMMARIES);
        return out == null
                ? List.of()
                : out.stream().map(StreamRecord::getValue).collect(Collectors.toList());
    }
}
