package dev.foreshadow.jobs.shadow.planner;

import static dev.foreshadow.jobs.Harnesses.keyed;
import static dev.foreshadow.jobs.Harnesses.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.foreshadow.connectors.records.AllocationCommand;
import dev.foreshadow.connectors.records.RunSummary;
import dev.foreshadow.connectors.records.TypeForecast;
import dev.foreshadow.models.domain.PoolId;
import dev.foreshadow.models.domain.WorkloadKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The planner with a configured pool ({@code allocation.pool.payments.*}) of two workflow types.
 */
class PlanConfiguredPoolTest {

    static final Instant MONDAY_9AM = Instant.parse("2026-11-30T09:00:00Z");
    static final Duration BUCKET = Duration.ofMinutes(5);
    static final Duration RETENTION = Duration.ofDays(30);
    static final String PAYMENTS = "payments";
    static final String PCI = "PCI-DSS";

    /** The payments pool (checkout and refunds) with {@code extra} settings over these. */
    private static PlanningSettings payments(String... extra) {
        Map<String, String> m = new HashMap<>();
        m.put("allocation.pools", PAYMENTS);
        m.put("allocation.pool.payments.types", "shop/checkout; shop/refunds");
        m.put("allocation.pool.payments.cores", "8");
        m.put("allocation.pool.payments.max", "20");
        m.put("allocation.pool.payments.lead-time", "10 min");
        for (int i = 0; i < extra.length; i += 2) {
            m.put(extra[i], extra[i + 1]);
        }
        return PlanningSettings.from(Configuration.fromMap(m));
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, PoolInput, AllocationCommand>
            harness(PlanningSettings s) throws Exception {
        return keyed(new PlanPool(s, BUCKET, RETENTION), PoolInput::key);
    }

    /**
     * A finished run of {@code type}: one core for ten minutes, its actions needing {@code certs}.
     */
    private static RunSummary run(String type, int n, List<String> certs) {
        Instant start = MONDAY_9AM.minus(Duration.ofMinutes(30)).plusSeconds(n);
        return new RunSummary(
                type + "-run-" + n,
                start,
                start.plus(Duration.ofMinutes(10)),
                "shop",
                type,
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
                certs);
    }

    /** A forecast from 9:00 of {@code perStep} runs of {@code type} per bucket. */
    private static TypeForecast forecast(String type, double perStep) {
        double[] mean = new double[12];
        Arrays.fill(mean, perStep);
        return new TypeForecast(
                MONDAY_9AM,
                "shop",
                type,
                BUCKET.toMillis(),
                mean,
                mean,
                "snaive12",
                0,
                "seasonal naive: too little history to select a model",
                List.of(),
                List.of(),
                null,
                Double.NaN,
                false,
                null);
    }

    /** Twelve finished runs of each type, then each type's forecast, planned at 9:00. */
    private static List<AllocationCommand> planAt9(
            PlanningSettings s,
            KeyedOneInputStreamOperatorTestHarness<String, PoolInput, AllocationCommand> h,
            Map<String, Double> perStepByType,
            List<String> certs)
            throws Exception {
        for (String type : perStepByType.keySet()) {
            for (int i = 0; i < 12; i++) {
                h.processElement(
                        PoolInput.of(run(type, i, certs), s), MONDAY_9AM.toEpochMilli() - 60_000);
            }
        }
        for (Map.Entry<String, Double> e : perStepByType.entrySet()) {
            h.processElement(
                    PoolInput.of(forecast(e.getKey(), e.getValue()), s), MONDAY_9AM.toEpochMilli());
        }
        h.processWatermark(MONDAY_9AM.toEpochMilli());
        return values(h.getSideOutput(PlanPool.ALLOCATION_COMMANDS));
    }

    @Test
    void theTypesOfAConfiguredPoolArePlannedInItAndATypeInNoPoolKeepsItsDefault() {
        PlanningSettings s = payments();

        assertThat(s.poolOf(WorkloadKey.ofType("shop", "checkout")))
                .isEqualTo(new PoolId(PAYMENTS));
        assertThat(s.poolOf(WorkloadKey.ofAction("shop", "refunds", "charge")))
                .isEqualTo(new PoolId(PAYMENTS));
        assertThat(s.poolOf(WorkloadKey.ofType("shop", "search")))
                .isEqualTo(new PoolId("shop/search"));
        assertThat(s.poolOfDefault("shop/refunds")).isEqualTo(PAYMENTS);
        assertThat(s.poolOfDefault("shop/search")).isEqualTo("shop/search");
    }

    @Test
    void onePoolCommandSizesTheSumOfItsTwoTypesWithThePoolsLeadTime() throws Exception {
        PlanningSettings s = payments();
        var one = harness(s);
        AllocationCommand checkoutOnly =
                planAt9(s, one, Map.of("checkout", 12.0), List.of()).get(0);
        var both = harness(s);
        List<AllocationCommand> out =
                planAt9(s, both, Map.of("checkout", 12.0, "refunds", 12.0), List.of());

        assertThat(out)
                .singleElement()
                .satisfies(
                        c -> {
                            assertThat(c.pool()).isEqualTo(PAYMENTS);
                            assertThat(c.readyBy())
                                    .isEqualTo(MONDAY_9AM.plus(Duration.ofMinutes(10)));
                            // the mean demand adds up; its quantile less (the two vary apart)
                            assertThat(c.basis().forecastCoresMean())
                                    .isCloseTo(
                                            2 * checkoutOnly.basis().forecastCoresMean(),
                                            withinPercentage(10));
                            assertThat(c.cores()).isGreaterThan(checkoutOnly.cores());
                            assertThat(c.instances()).isGreaterThan(checkoutOnly.instances());
                            assertThat(c.basis().models())
                                    .containsKeys("shop/checkout", "shop/refunds");
                            assertThat(c.rule()).isEqualTo("forecast");
                        });
        one.close();
        both.close();
    }

    @Test
    void aConfiguredPoolsCommandIsClampedToItsMaximum() throws Exception {
        PlanningSettings s = payments("allocation.pool.payments.max", "3");
        var h = harness(s);

        assertThat(planAt9(s, h, Map.of("checkout", 40.0, "refunds", 40.0), List.of()))
                .singleElement()
                .satisfies(
                        c -> {
                            assertThat(c.instances()).isEqualTo(3);
                            assertThat(c.rule()).isEqualTo("forecast, maximum");
                        });
        h.close();
    }

    @Test
    void aConfiguredPoolsCommandIsClampedToItsBudget() throws Exception {
        PlanningSettings s =
                payments(
                        "allocation.pool.payments.budget-per-hour", "5",
                        "allocation.pool.payments.price-per-instance-hour", "2");
        var h = harness(s);

        assertThat(planAt9(s, h, Map.of("checkout", 40.0, "refunds", 40.0), List.of()))
                .singleElement()
                .satisfies(
                        c -> {
                            assertThat(c.instances()).isEqualTo(2);
                            assertThat(c.rule()).contains("budget");
                        });
        h.close();
    }

    @Test
    void aPoolLackingACertificationItsTypesNeedStillGetsCommandsThatSayUncertified()
            throws Exception {
        PlanningSettings s = payments();
        var h = harness(s);
        List<AllocationCommand> planned =
                planAt9(s, h, Map.of("checkout", 12.0, "refunds", 12.0), List.of(PCI));
        h.processElement(PoolInput.of(scaleUpOf("shop/checkout"), s), MONDAY_9AM.toEpochMilli());

        List<AllocationCommand> out = values(h.getSideOutput(PlanPool.ALLOCATION_COMMANDS));
        assertThat(planned).singleElement().satisfies(c -> assertThat(c.instances()).isPositive());
        assertThat(out)
                .hasSize(2)
                .allSatisfy(
                        c -> {
                            assertThat(c.pool()).isEqualTo(PAYMENTS);
                            assertThat(c.rule()).endsWith(", uncertified: " + PCI);
                            assertThat(c.certifications()).doesNotContain(PCI);
                        });
        h.close();
    }

    @Test
    void aPoolHoldingTheCertificationsItsTypesNeedSaysNothingOfThem() throws Exception {
        PlanningSettings s = payments("allocation.pool.payments.certifications", PCI);
        var h = harness(s);

        assertThat(planAt9(s, h, Map.of("checkout", 12.0, "refunds", 12.0), List.of(PCI)))
                .singleElement()
                .satisfies(
                        c -> {
                            assertThat(c.rule()).isEqualTo("forecast");
                            assertThat(c.certifications()).containsExactly(PCI);
                        });
        h.close();
    }

    @Test
    void anAnomalyScaleUpOfATypesDefaultPoolIsBoundedByItsConfiguredPool() throws Exception {
        PlanningSettings s = payments("allocation.pool.payments.max", "4");
        var h = harness(s);
        h.processElement(PoolInput.of(scaleUpOf("shop/refunds"), s), MONDAY_9AM.toEpochMilli());

        assertThat(values(h.getSideOutput(PlanPool.ALLOCATION_COMMANDS)))
                .singleElement()
                .satisfies(
                        c -> {
                            assertThat(c.pool()).isEqualTo(PAYMENTS);
                            assertThat(c.instances()).isEqualTo(4);
                            assertThat(c.rule()).isEqualTo("anomaly, maximum");
                        });
        h.close();
    }

    @Test
    void aConfiguredPoolSilentForTheRetentionLeavesNeitherStateNorTimers() throws Exception {
        PlanningSettings s = payments();
        var h = harness(s);
        planAt9(s, h, Map.of("checkout", 12.0, "refunds", 12.0), List.of(PCI));
        assertThat(h.numKeyedStateEntries()).isPositive();

        h.processWatermark(MONDAY_9AM.plus(RETENTION).plus(Duration.ofDays(2)).toEpochMilli());

        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
    }

    @Test
    void aTypeListedByTwoPoolsIsRejectedNamingBothKeys() {
        assertThatThrownBy(
                        () ->
                                payments(
                                        "allocation.pools", "payments;refunds",
                                        "allocation.pool.refunds.types", "shop/refunds"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "workflow type shop/refunds is listed by two pools:"
                                + " allocation.pool.payments.types and allocation.pool.refunds.types");
    }

    @Test
    void aHorizonShorterThanAPoolsLeadTimePlusOneBucketIsRejected() {
        assertThatThrownBy(() -> payments("forecast.horizon", "10 min"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "forecast.horizon (PT10M) is shorter than allocation.pool.payments.lead-time"
                                + " (PT10M) plus one forecast.bucket (PT5M)");
        assertThat(payments("forecast.horizon", "15 min").pools()).containsKey(PAYMENTS);
    }

    @Test
    void aTypeThatIsNotTenantSlashTypeIsRejectedNamingItsKey() {
        assertThatThrownBy(() -> payments("allocation.pool.payments.types", "checkout"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "allocation.pool.payments.types: 'checkout' is not a workflow type as"
                                + " tenant/type");
    }

    @Test
    void aFractionOfACoreIsRejectedForThePlannerNamingItsKey() {
        assertThatThrownBy(() -> payments("allocation.pool.payments.cores", "0.5"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("allocation.pool.payments.cores must be a whole number");
    }

    private static AllocationCommand scaleUpOf(String defaultPool) {
        return new AllocationCommand(
                "anomaly:a-1",
                defaultPool,
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
                false);
    }
}
