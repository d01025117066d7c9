package dev.foreshadow.jobs.shadow.forecast;

import static dev.foreshadow.jobs.Harnesses.keyedBroadcast;
import static dev.foreshadow.jobs.Harnesses.keyedStateEntries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.foreshadow.connectors.records.Arrivals;
import dev.foreshadow.connectors.records.ExternalEvent;
import dev.foreshadow.connectors.records.TypeForecast;
import dev.foreshadow.connectors.records.WorkflowDependency;
import dev.foreshadow.models.domain.WorkloadKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

class ForecastArrivalsTest {

    static final Instant MONDAY = Instant.parse("2026-11-30T00:00:00Z");
    static final long STEP = Duration.ofMinutes(5).toMillis();
    static final Duration RETENTION = Duration.ofDays(30);
    static final String CHECKOUT = WorkloadKey.ofType("shop", "checkout").encoded();
    static final String PAYMENT = WorkloadKey.ofType("shop", "payment").encoded();

    private static ForecastSettings settings(double retrainMase) {
        return new ForecastSettings(
                Duration.ofMinutes(5),
                Duration.ofHours(1),
                Duration.ofHours(1),
                Duration.ofDays(1),
                Duration.ofMinutes(1),
                retrainMase);
    }

    private static KeyedBroadcastOperatorTestHarness<
                    String, TypeArrivals, ForecastContext, TypeForecast>
            harness(double retrainMase) throws Exception {
        return keyedBroadcast(
                new ForecastArrivals(settings(retrainMase), null, RETENTION),
                TypeArrivals::key,
                ForecastArrivals.CONTEXT);
    }

    /** {@code runs} runs of {@code type} in step {@code step} after Monday 0:00, for {@code to}. */
    private static void arrive(
            KeyedBroadcastOperatorTestHarness<String, TypeArrivals, ForecastContext, TypeForecast>
                    h,
            String to,
            String type,
            int step,
            long runs)
            throws Exception {
        Instant at = MONDAY.plusMillis(step * STEP);
        h.processElement(
                new TypeArrivals(to, new Arrivals(at, "shop", type, runs)), at.toEpochMilli());
    }

    private static long stepEnd(int step) {
        return MONDAY.toEpochMilli() + (step + 1) * STEP;
    }

    @Test
    void aTypeWithLessThanASeasonOfHistoryIsForecastNaivelyEveryBucketAndSaysSo() throws Exception {
        var h = harness(2.0);
        arrive(h, CHECKOUT, "checkout", 0, 6);
        arrive(h, CHECKOUT, "checkout", 1, 8);
        h.watermark(stepEnd(3)); // step 2 and 3 are quiet: forecasts go on

        List<TypeForecast> out = h.extractOutputValues();
        assertThat(out)
                .extracting(f -> f.origin().toEpochMilli())
                .containsExactly(stepEnd(0), stepEnd(1), stepEnd(2), stepEnd(3));
        TypeForecast second = out.get(1);
        assertThat(second.model()).isEqualTo("naive");
        assertThat(second.why()).startsWith("naive: too little history");
        assertThat(second.horizon()).isEqualTo(12);
        assertThat(second.mean()).containsOnly(8.0);
        assertThat(second.modelVersion()).isZero();
        h.close();
    }

    @Test
    void anAnnouncedCampaignMultipliesTheStepsItCovers() throws Exception {
        var h = harness(2.0);
        for (int s = 0; s < 24; s++) {
            arrive(h, CHECKOUT, "checkout", s, 10);
        }
        // announced now, doubling steps 26..27 (the 3rd and 4th of the forecast at step 24)
        Instant start = MONDAY.plusMillis(26 * STEP);
        h.processBroadcastElement(
                campaign("spring-sale", start, MONDAY.toEpochMilli()), MONDAY.toEpochMilli());
        h.watermark(stepEnd(23));

        TypeForecast last = h.extractOutputValues().get(h.extractOutputValues().size() - 1);
        assertThat(last.origin().toEpochMilli()).isEqualTo(stepEnd(23));
        assertThat(last.model()).isEqualTo("snaive12");
        assertThat(last.events()).singleElement().asString().contains("campaign x2.00");
        assertThat(last.mean()[0]).isEqualTo(10.0);
        assertThat(last.mean()[2]).isEqualTo(20.0);
        assertThat(last.mean()[3]).isEqualTo(20.0);
        assertThat(last.mean()[4]).isEqualTo(10.0);
        h.close();
    }

    private static ForecastContext campaign(String id, Instant start, long announcedMs) {
        return new ForecastContext(
                new ExternalEvent(
                        id,
                        "shop",
                        "marketing",
                        "campaign",
                        start,
                        start.plusMillis(2 * STEP),
                        2.0,
                        List.of("checkout"),
                        null),
                announcedMs,
                null,
                null);
    }

    @Test
    void anEventArrivingAfterAnOriginRevisesItsForecastAtOnceAndCountsAsAnnouncedSince()
            throws Exception {
        var h = harness(2.0);
        for (int s = 0; s < 24; s++) {
            arrive(h, CHECKOUT, "checkout", s, 10);
        }
        h.watermark(stepEnd(23));
        int made = h.extractOutputValues().size();
        long origin = stepEnd(23);
        // announced a minute after the next origin (the watermark lags the event's clock),
        // starting four minutes after that
        long announced = origin + STEP + 60_000;
        h.processBroadcastElement(
                campaign("flash-sale", Instant.ofEpochMilli(announced + 240_000), announced),
                announced);
        // one starting beyond the horizon changes nothing yet
        h.processBroadcastElement(
                campaign("next-week", MONDAY.plus(Duration.ofDays(7)), announced), announced);

        List<TypeForecast> out = h.extractOutputValues();
        assertThat(out).hasSize(made + 1);
        TypeForecast revision = out.get(made);
        assertThat(revision.origin().toEpochMilli()).isEqualTo(origin);
        assertThat(revision.revisedAt().toEpochMilli()).isEqualTo(announced);
        assertThat(revision.scoredOrigin()).isNull();
        assertThat(revision.events()).singleElement().asString().contains("campaign x2.00");
        // the event covers steps 2 and 3 of the origin's forecast
        assertThat(revision.mean()[1]).isEqualTo(10.0);
        assertThat(revision.mean()[2]).isEqualTo(20.0);
        assertThat(revision.mean()[3]).isEqualTo(20.0);
        assertThat(revision.mean()[4]).isEqualTo(10.0);

        // the next origin precedes the announcement, yet its forecast counts the event
        h.watermark(stepEnd(24));
        TypeForecast next = h.extractOutputValues().get(made + 1);
        assertThat(next.origin().toEpochMilli()).isEqualTo(stepEnd(24));
        assertThat(next.revisedAt()).isNull();
        assertThat(next.mean()[1]).isEqualTo(20.0);
        h.close();
    }

    @Test
    void aTypeNotForecastYetUsesAnEventThatArrivedBeforeItsFirstOriginButNotOnePublishedAhead()
            throws Exception {
        var h = harness(2.0);
        arrive(h, CHECKOUT, "checkout", 23, 10); // the first runs: no forecast before step 24
        long next = stepEnd(23);
        long announced = next + 60_000;
        h.processBroadcastElement(
                campaign("flash-sale", Instant.ofEpochMilli(next), announced), announced);
        // published a bucket ahead of its announcement: left to the origins the announcement
        // reaches
        h.processBroadcastElement(
                campaign("ahead", Instant.ofEpochMilli(next), next + STEP), announced);
        assertThat(h.extractOutputValues()).isEmpty();

        h.watermark(next);
        TypeForecast first = h.extractOutputValues().get(0);
        assertThat(first.origin().toEpochMilli()).isEqualTo(next);
        assertThat(first.revisedAt()).isNull();
        // the campaign doubles it; the one published ahead of its announcement does not apply
        assertThat(first.mean()[0]).isEqualTo(20.0);
        h.close();
    }

    @Test
    void aChildTypeAddsTheRunsItsParentIsExpectedToStart() throws Exception {
        var h = harness(2.0);
        h.processBroadcastElement(
                ForecastContext.of(
                        new WorkflowDependency(
                                MONDAY,
                                "shop",
                                "checkout",
                                "payment",
                                0.5,
                                60_000,
                                new double[] {0, 0, 1},
                                100,
                                50)),
                MONDAY.toEpochMilli());
        for (int s = 0; s < 24; s++) {
            arrive(h, PAYMENT, "checkout", s, 10); // the parent's arrivals, routed to the child
            arrive(h, PAYMENT, "payment", s, 5); // all of them triggered by checkout
        }
        h.watermark(stepEnd(23));

        TypeForecast last = h.extractOutputValues().get(h.extractOutputValues().size() - 1);
        assertThat(last.workflowType()).isEqualTo("payment");
        assertThat(last.dependencies())
                .singleElement()
                .asString()
                .startsWith("shop/checkout -> shop/payment: p=0.500");
        // its own history holds no untriggered run: all it expects comes from checkout's 10 a step
        assertThat(last.mean()[0]).isCloseTo(5.0, within(1e-9));
        assertThat(last.mean()[5]).isCloseTo(5.0, within(1e-9));
        h.close();
    }

    /** A day of 5-minute slots, busy from 8:00 to 20:00 with {@code level} runs a step. */
    private static double[] businessHours(double level) {
        double[] perSlot = new double[288];
        for (int j = 96; j < 240; j++) {
            perSlot[j] = level;
        }
        return perSlot;
    }

    @Test
    void aNewTypeIsForecastFromThePriorOfItsTenantsSimilarTypesAndSaysWhich() throws Exception {
        var h = harness(2.0);
        h.processBroadcastElement(
                ForecastContext.of(
                        new ArrivalShape(
                                "shop", "payment", MONDAY.toEpochMilli(), businessHours(40))),
                MONDAY.toEpochMilli());
        h.processBroadcastElement(
                ForecastContext.of(
                        new ArrivalShape(
                                "bank", "ledger", MONDAY.toEpochMilli(), businessHours(40))),
                MONDAY.toEpochMilli());
        // checkout is new: its first runs in the two steps before 20:00
        arrive(h, CHECKOUT, "checkout", 238, 4);
        arrive(h, CHECKOUT, "checkout", 239, 4);
        h.watermark(stepEnd(239));

        TypeForecast f = h.extractOutputValues().get(h.extractOutputValues().size() - 1);
        assertThat(f.model()).isEqualTo("prior");
        assertThat(f.why())
                .startsWith("prior from similar types shop/payment")
                .doesNotContain("bank/ledger");
        // 20:00 on is quiet in the prior: the naive forecast would have said 4 a step
        assertThat(f.mean()).containsOnly(0.0);
        h.close();
    }

    @Test
    void withoutASimilarTypeANewTypeKeepsTheColdStart() throws Exception {
        var h = harness(2.0);
        h.processBroadcastElement(
                ForecastContext.of(
                        new ArrivalShape(
                                "bank", "ledger", MONDAY.toEpochMilli(), businessHours(40))),
                MONDAY.toEpochMilli());
        arrive(h, CHECKOUT, "checkout", 238, 4);
        arrive(h, CHECKOUT, "checkout", 239, 4);
        h.watermark(stepEnd(239));

        TypeForecast f = h.extractOutputValues().get(h.extractOutputValues().size() - 1);
        assertThat(f.model()).isEqualTo("naive");
        assertThat(f.mean()).containsOnly(4.0);
        h.close();
    }

    @Test
    void aForecastIsScoredOnceItsHorizonHasPassedAndAPoorOneMarksTheTypeForRetraining()
            throws Exception {
        var h = harness(0.01);
        for (int s = 0; s < 40; s++) {
            arrive(h, CHECKOUT, "checkout", s, 5 + (s * 7) % 5);
        }
        h.watermark(stepEnd(39));

        List<TypeForecast> out = h.extractOutputValues();
        TypeForecast scored = out.get(out.size() - 1);
        assertThat(scored.scoredOrigin()).isEqualTo(scored.origin().minus(Duration.ofHours(1)));
        assertThat(scored.mase()).isPositive().isFinite();
        assertThat(scored.retrain()).isTrue();
        assertThat(out.get(0).scoredOrigin()).isNull();
        assertThat(out.get(0).mase()).isNaN();
        h.close();
    }

    @Test
    void aTypeQuietForADayIsNoLongerForecastUntilItsNextArrival() throws Exception {
        var h = harness(2.0);
        arrive(h, CHECKOUT, "checkout", 0, 6);
        h.watermark(Long.MAX_VALUE - 1); // as a drained job's final watermark

        List<TypeForecast> out = h.extractOutputValues();
        assertThat(out).hasSize((int) (Duration.ofDays(1).toMillis() / STEP));
        assertThat(out.get(out.size() - 1).origin()).isEqualTo(MONDAY.plus(Duration.ofDays(1)));
        h.close();
    }

    @Test
    void aTypeSilentForTheRetentionLeavesNeitherStateNorTimers() throws Exception {
        var h = harness(2.0);
        arrive(h, CHECKOUT, "checkout", 0, 6);
        arrive(h, PAYMENT, "checkout", 0, 6);
        h.watermark(stepEnd(2));
        assertThat(keyedStateEntries(h)).isPositive();

        h.watermark(MONDAY.plus(RETENTION).plus(Duration.ofDays(2)).toEpochMilli());

        assertThat(keyedStateEntries(h)).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
    }
}
