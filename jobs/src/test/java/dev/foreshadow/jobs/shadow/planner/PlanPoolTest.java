package dev.foreshadow.jobs.shadow.planner;

import static dev.foreshadow.jobs.Harnesses.keyed;
import static dev.foreshadow.jobs.Harnesses.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.foreshadow.connectors.records.AllocationCommand;
import dev.foreshadow.connectors.records.Arrivals;
import dev.foreshadow.connectors.records.RunSummary;
import dev.foreshadow.connectors.records.TypeForecast;
import dev.foreshadow.jobs.shadow.shadowing.RunProgress;
import dev.foreshadow.models.demand.ResourceProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class PlanPoolTest {

    static final Instant MONDAY_9AM = Instant.parse("2026-11-30T09:00:00Z");
    static final Duration BUCKET = Duration.ofMinutes(5);
    static final Duration RETENTION = Duration.ofDays(30);
    static final String POOL = "shop/checkout";

    private static PlanningSettings settings(boolean forecastOnly) {
        return new PlanningSettings(
                forecastOnly,
                8,
                32L << 30,
                Duration.ofMinutes(5),
                0,
                10,
                1.0,
                0.0,
                Duration.ofMinutes(5));
    }

    /** The default pools: the routing of every input below. */
    private static final PlanningSettings DEFAULTS = settings(false);

    private static PoolInput in(TypeForecast f) {
        return PoolInput.of(f, DEFAULTS);
    }

    private static PoolInput in(RunSummary r) {
        return PoolInput.of(r, DEFAULTS);
    }

    private static PoolInput in(AllocationCommand c) {
        return PoolInput.of(c, DEFAULTS);
    }

    private static PoolInput in(Arrivals a) {
        return PoolInput.of(a, DEFAULTS);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, PoolInput, AllocationCommand>
            harness(boolean forecastOnly) throws Exception {
        return keyed(new PlanPool(settings(forecastOnly), BUCKET, RETENTION), PoolInput::key);
    }

    /** A finished checkout run: one core for ten minutes. */
    private static RunSummary checkoutRun(int n) {
        return checkoutRun(n, MONDAY_9AM.minus(Duration.ofMinutes(30)).plusSeconds(n));
    }

    /** A checkout run started at {@code start}, finished ten minutes later, one core throughout. */
    private static RunSummary checkoutRun(int n, Instant start) {
        return new RunSummary(
                "run-" + n,
                start,
                start.plus(Duration.ofMinutes(10)),
                "shop",
                "checkout",
                null,
                RunSummary.COMPLETED,
                3,
                0,
                600,
                600,
                0,
                0,
                0,
                0.1,
                "USD",
                List.of(),
                // its three actions end evenly over its ten minutes
                LongStream.of(ResourceProfile.progressOf(new long[] {200_000, 400_000, 600_000}))
                        .boxed()
                        .toList());
    }

    /** A forecast from 9:00 of {@code perStep} checkout runs per bucket, with {@code events}. */
    private static TypeForecast forecast(double perStep, List<String> events) {
        double[] mean = new double[12];
        Arrays.fill(mean, perStep);
        return new TypeForecast(
                MONDAY_9AM,
                "shop",
                "checkout",
                BUCKET.toMillis(),
                mean,
                mean,
                "snaive12",
                0,
                "seasonal naive: too little history to select a model",
                events,
                List.of(),
                null,
                Double.NaN,
                false,
                null);
    }

    private static List<AllocationCommand> planAt9(
            KeyedOneInputStreamOperatorTestHarness<String, PoolInput, AllocationCommand> h,
            TypeForecast f)
            throws Exception {
        // twelve runs finished in the last bucket: 24 cores of realised work
        for (int i = 0; i < 12; i++) {
            h.processElement(in(checkoutRun(i)), MONDAY_9AM.toEpochMilli() - 60_000);
        }
        h.processElement(in(f), MONDAY_9AM.toEpochMilli());
        h.processWatermark(MONDAY_9AM.toEpochMilli());
        return values(h.getSideOutput(PlanPool.ALLOCATION_COMMANDS));
    }

    @Test
    void emitsACommandReadyOneLeadTimeAfterTheForecastOriginSizedForItsArrivals() throws Exception {
        var h = harness(false);
        List<AllocationCommand> out = planAt9(h, forecast(12, List.of()));

        assertThat(h.extractOutputValues()).isEmpty();
        assertThat(out)
                .singleElement()
                .satisfies(
                        c -> {
                            assertThat(c.pool()).isEqualTo(POOL);
                            assertThat(c.issuedAt()).isEqualTo(MONDAY_9AM);
                            assertThat(c.readyBy()).isEqualTo(MONDAY_9AM.plusSeconds(300));
                            assertThat(c.reason()).isEqualTo("forecast");
                            assertThat(c.rule()).isEqualTo("forecast");
                            // 12 one-core runs per 5 min, 10 min long: about 24 cores at 9:10
                            assertThat(c.cores()).isGreaterThan(20);
                            assertThat(c.instances()).isBetween(3, 6);
                            assertThat(c.dryRun()).isFalse();
                            assertThat(c.basis().models()).containsKey("shop/checkout");
                        });
        h.close();
    }

    @Test
    void anExternalEventsForecastIsTheCommandsReason() throws Exception {
        var h = harness(false);
        List<AllocationCommand> out =
                planAt9(h, forecast(24, List.of("campaign x2.00 (announced magnitude)")));

        assertThat(out)
                .singleElement()
                .satisfies(
                        c -> {
                            assertThat(c.reason()).isEqualTo("external-event");
                            assertThat(c.instances()).isGreaterThan(6);
                            assertThat(c.basis().events()).isNotEmpty();
                        });
        h.close();
    }

    /** {@code f} as revised at {@code revisedAt} to {@code perStep} runs, with {@code events}. */
    private static TypeForecast revised(
            TypeForecast f, double perStep, List<String> events, Instant revisedAt) {
        double[] mean = new double[f.horizon()];
        Arrays.fill(mean, perStep);
        return new TypeForecast(
                f.origin(),
                f.tenant(),
                f.workflowType(),
                f.stepMs(),
                mean,
                mean,
                f.model(),
                f.modelVersion(),
                f.why(),
                events,
                f.dependencies(),
                null,
                Double.NaN,
                false,
                revisedAt);
    }

    @Test
    void aForecastRevisedByAnEventAfterThePlanIsPlannedAgainAtOnceUnderACommandOfItsOwn()
            throws Exception {
        var h = harness(false);
        TypeForecast f = forecast(12, List.of());
        AllocationCommand plan = planAt9(h, f).get(0);
        double quantile = plan.quantile();
        Instant announced = MONDAY_9AM.plusSeconds(100);

        // no watermark: the revision is planned on arrival
        h.processElement(
                in(revised(f, 48, List.of("campaign x4.00 (announced magnitude)"), announced)),
                announced.toEpochMilli());
        List<AllocationCommand> out = values(h.getSideOutput(PlanPool.ALLOCATION_COMMANDS));
        assertThat(out).hasSize(2);
        AllocationCommand revision = out.get(1);
        assertThat(revision.commandId()).isEqualTo(plan.commandId() + ":revision-1");
        assertThat(revision.issuedAt()).isEqualTo(announced);
        assertThat(revision.readyBy()).isEqualTo(plan.readyBy());
        assertThat(revision.expiresAt()).isEqualTo(plan.expiresAt());
        assertThat(revision.reason()).isEqualTo("external-event");
        assertThat(revision.basis().events()).isNotEmpty();
        assertThat(revision.instances()).isGreaterThan(plan.instances());
        assertThat(revision.quantile()).isEqualTo(quantile);

        // a second revision of the same plan has an id of its own; the next plan is made as ever
        h.processElement(
                in(revised(f, 60, List.of("campaign x5.00 (announced magnitude)"), announced)),
                announced.toEpochMilli());
        TypeForecast next = forecastAt(MONDAY_9AM.plus(BUCKET));
        h.processElement(in(next), MONDAY_9AM.plus(BUCKET).toEpochMilli());
        h.processWatermark(MONDAY_9AM.plus(BUCKET).toEpochMilli());
        assertThat(values(h.getSideOutput(PlanPool.ALLOCATION_COMMANDS)))
                .extracting(AllocationCommand::commandId)
                .containsExactly(
                        plan.commandId(),
                        plan.commandId() + ":revision-1",
                        plan.commandId() + ":revision-2",
                        "plan:" + POOL + ":" + MONDAY_9AM.plus(BUCKET).toEpochMilli());
        h.close();
    }

    @Test
    void aRevisionBeforeItsOriginIsPlannedIsWhatThePlanUses() throws Exception {
        var h = harness(false);
        TypeForecast f = forecast(12, List.of());
        for (int i = 0; i < 12; i++) {
            h.processElement(in(checkoutRun(i)), MONDAY_9AM.toEpochMilli() - 60_000);
        }
        h.processElement(in(f), MONDAY_9AM.toEpochMilli());
        h.processElement(
                in(
                        revised(
                                f,
                                24,
                                List.of("campaign x2.00 (announced magnitude)"),
                                MONDAY_9AM.plusSeconds(10))),
                MONDAY_9AM.toEpochMilli());
        h.processWatermark(MONDAY_9AM.toEpochMilli());

        assertThat(values(h.getSideOutput(PlanPool.ALLOCATION_COMMANDS)))
                .singleElement()
                .satisfies(
                        c -> {
                            assertThat(c.commandId())
                                    .isEqualTo("plan:" + POOL + ":" + MONDAY_9AM.toEpochMilli());
                            assertThat(c.reason()).isEqualTo("external-event");
                        });
        h.close();
    }

    @Test
    void aForecastBeyondThePoolsMaximumIsClampedAndSaysSo() throws Exception {
        var h = harness(false);
        List<AllocationCommand> out = planAt9(h, forecast(500, List.of()));

        assertThat(out)
                .singleElement()
                .satisfies(
                        c -> {
                            assertThat(c.instances()).isEqualTo(10);
                            assertThat(c.rule()).isEqualTo("forecast, maximum");
                        });
        h.close();
    }

    @Test
    void inForecastOnlyModeCommandsAreDryRuns() throws Exception {
        var h = harness(true);

        assertThat(planAt9(h, forecast(12, List.of())))
                .singleElement()
                .satisfies(c -> assertThat(c.dryRun()).isTrue());
        h.close();
    }

    @Test
    void forecastsOfSeveralBucketsBeforeOneWatermarkArePlannedOneByOne() throws Exception {
        var h = harness(false);
        for (int i = 0; i < 12; i++) {
            h.processElement(in(checkoutRun(i)), MONDAY_9AM.toEpochMilli() - 60_000);
        }
        TypeForecast first = forecast(12, List.of());
        TypeForecast second = forecastAt(MONDAY_9AM.plus(BUCKET));
        h.processElement(in(first), MONDAY_9AM.toEpochMilli());
        h.processElement(in(second), MONDAY_9AM.plus(BUCKET).toEpochMilli());
        h.processWatermark(MONDAY_9AM.plus(BUCKET).toEpochMilli());

        assertThat(values(h.getSideOutput(PlanPool.ALLOCATION_COMMANDS)))
                .extracting(AllocationCommand::issuedAt)
                .containsExactly(MONDAY_9AM, MONDAY_9AM.plus(BUCKET));
        h.close();
    }

    @Test
    void aTypeWhoseRunsHaveNotFinishedYetIsNotPlannedFor() throws Exception {
        var h = harness(false);
        h.processElement(in(forecast(12, List.of())), MONDAY_9AM.toEpochMilli());
        h.processWatermark(MONDAY_9AM.toEpochMilli());

        assertThat(values(h.getSideOutput(PlanPool.ALLOCATION_COMMANDS))).isEmpty();
        h.close();
    }

    @Test
    void anAnomalyScaleUpPassesThroughThePoolsMaximum() throws Exception {
        var h = harness(true);
        h.processElement(
                in(
                        new AllocationCommand(
                                "anomaly:a-1",
                                POOL,
                                40,
                                0,
                                0,
                                50,
                                MONDAY_9AM,
                                MONDAY_9AM.plusSeconds(900),
                                List.of(),
                                Double.NaN,
                                "anomaly",
                                MONDAY_9AM,
                                false)),
                MONDAY_9AM.toEpochMilli());

        assertThat(values(h.getSideOutput(PlanPool.ALLOCATION_COMMANDS)))
                .singleElement()
                .satisfies(
                        c -> {
                            assertThat(c.instances()).isEqualTo(10);
                            assertThat(c.rule()).isEqualTo("anomaly, maximum");
                            assertThat(c.dryRun()).isTrue();
                            assertThat(c.reason()).isEqualTo("anomaly");
                        });
        h.close();
    }

    /** A checkout run starting, as the Shadow reports it on RUN_STARTS. */
    private static PoolInput started(Instant at) {
        return in(new Arrivals(at, "shop", "checkout", 1));
    }

    @Test
    void runsInFlightAddWhatTheyStillUseAtTheReadyTime() throws Exception {
        var quiet = harness(false);
        AllocationCommand without = planAt9(quiet, forecast(12, List.of())).get(0);
        var busy = harness(false);
        // twenty runs started at 8:58: at 9:05 they are 7 minutes into their 10 minutes
        for (int i = 0; i < 20; i++) {
            busy.processElement(started(MONDAY_9AM.minusSeconds(120)), MONDAY_9AM.toEpochMilli());
        }
        AllocationCommand with = planAt9(busy, forecast(12, List.of())).get(0);

        assertThat(without.basis().inFlightCores()).isZero();
        assertThat(with.basis().inFlightCores()).isCloseTo(20, within(1e-6));
        assertThat(with.basis().forecastCoresMean())
                .isCloseTo(without.basis().forecastCoresMean() + 20, within(1e-6));
        assertThat(with.instances()).isGreaterThan(without.instances());
        quiet.close();
        busy.close();
    }

    @Test
    void runsThatWillHaveFinishedByTheReadyTimeAddNothing() throws Exception {
        var h = harness(false);
        // started at 8:52 and as far through their three actions as their age says: done at 9:02,
        // before the command's readyBy of 9:05
        Instant start = MONDAY_9AM.minusSeconds(480);
        for (int i = 0; i < 20; i++) {
            h.processElement(started(start), MONDAY_9AM.toEpochMilli());
            h.processElement(progressed(start, 0, 1, start.plusSeconds(200)), start.toEpochMilli());
            h.processElement(progressed(start, 1, 2, start.plusSeconds(400)), start.toEpochMilli());
        }

        assertThat(planAt9(h, forecast(12, List.of())))
                .singleElement()
                .satisfies(c -> assertThat(c.basis().inFlightCores()).isZero());
        h.close();
    }

    @Test
    void runsBehindTheirUsualPaceStillCountAtTheReadyTime() throws Exception {
        var h = harness(false);
        // started at 8:52 like the runs above, but none has ended an action by 9:00: at their
        // type's pace they have most of their three actions ahead of them at 9:05
        Instant start = MONDAY_9AM.minusSeconds(480);
        for (int i = 0; i < 20; i++) {
            h.processElement(started(start), MONDAY_9AM.toEpochMilli());
        }
        // one of them ends its first action at 9:01: after the plan, so not counted in it
        h.processElement(progressed(start, 0, 1, MONDAY_9AM.plusSeconds(60)), start.toEpochMilli());

        assertThat(planAt9(h, forecast(12, List.of())))
                .singleElement()
                .satisfies(c -> assertThat(c.basis().inFlightCores()).isCloseTo(20, within(1e-6)));
        h.close();
    }

    private static PoolInput progressed(Instant start, int from, int to, Instant at) {
        return PoolInput.of(
                new RunProgress(
                        "shop", "checkout", start.toEpochMilli(), from, to, at.toEpochMilli()),
                DEFAULTS);
    }

    @Test
    void aRunWhoseSummaryCameBeforeThePlanStillCountsUntilItsEnd() throws Exception {
        var h = harness(false);
        Instant start = MONDAY_9AM.minusSeconds(120);
        for (int i = 0; i < 20; i++) {
            h.processElement(started(start), MONDAY_9AM.toEpochMilli());
            // ends at 9:08, but its summary is here before the 9:00 plan (a replay running ahead)
            h.processElement(in(checkoutRun(100 + i, start)), MONDAY_9AM.toEpochMilli());
        }

        assertThat(planAt9(h, forecast(12, List.of())))
                .singleElement()
                .satisfies(c -> assertThat(c.basis().inFlightCores()).isCloseTo(20, within(1e-6)));
        h.close();
    }

    /** Plans at 9:00 and 9:05; the work realised by 9:05 far exceeds what 9:00 planned for it. */
    private static void twoPlansTheFirstExceeded(
            KeyedOneInputStreamOperatorTestHarness<String, PoolInput, AllocationCommand> h)
            throws Exception {
        planAt9(h, forecast(12, List.of()));
        Instant nine05 = MONDAY_9AM.plus(BUCKET);
        for (int i = 0; i < 40; i++) {
            h.processElement(
                    in(checkoutRun(200 + i, nine05.minusSeconds(600))), nine05.toEpochMilli() - 1);
        }
        h.processElement(in(forecastAt(nine05)), nine05.toEpochMilli());
        h.processWatermark(nine05.toEpochMilli());
    }

    private static TypeForecast forecastAt(Instant origin) {
        TypeForecast f = forecast(12, List.of());
        return new TypeForecast(
                origin,
                f.tenant(),
                f.workflowType(),
                f.stepMs(),
                f.mean(),
                f.variance(),
                f.model(),
                0,
                f.why(),
                List.of(),
                List.of(),
                null,
                Double.NaN,
                false,
                null);
    }

    @Test
    void thePlannersAdaptedQuantileSurvivesARestore() throws Exception {
        var kept = harness(false);
        twoPlansTheFirstExceeded(kept);
        var restarted = harness(false);
        twoPlansTheFirstExceeded(restarted);
        OperatorSubtaskState snapshot = restarted.snapshot(1, MONDAY_9AM.toEpochMilli());
        restarted.close();
        var restored =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new PlanPool(settings(false), BUCKET, RETENTION)),
                        PoolInput::key,
                        Types.STRING);
        restored.setup();
        restored.initializeState(snapshot);
        restored.open();

        Instant nine10 = MONDAY_9AM.plus(BUCKET).plus(BUCKET);
        for (var h : List.of(kept, restored)) {
            h.processElement(in(forecastAt(nine10)), nine10.toEpochMilli());
            h.processWatermark(nine10.toEpochMilli());
        }
        List<AllocationCommand> keptOut = values(kept.getSideOutput(PlanPool.ALLOCATION_COMMANDS));
        List<AllocationCommand> restoredOut =
                values(restored.getSideOutput(PlanPool.ALLOCATION_COMMANDS));

        // the exceeded plan raised the quantile above the configured 0.999
        assertThat(keptOut).hasSize(3);
        assertThat(keptOut.get(2).quantile()).isGreaterThan(0.999);
        assertThat(restoredOut)
                .singleElement()
                .satisfies(c -> assertThat(c.quantile()).isEqualTo(keptOut.get(2).quantile()));
        kept.close();
        restored.close();
    }

    @Test
    void aPoolSilentForTheRetentionLeavesNeitherStateNorTimers() throws Exception {
        var h = harness(false);
        h.processElement(started(MONDAY_9AM.minusSeconds(120)), MONDAY_9AM.toEpochMilli());
        planAt9(h, forecast(12, List.of()));
        assertThat(h.numKeyedStateEntries()).isPositive();

        h.processWatermark(MONDAY_9AM.plus(RETENTION).plus(Duration.ofDays(2)).toEpochMilli());

        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
    }
}
