package dev.foreshadow.models.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KeysTest {

    @Test
    void workloadKeysRoundTripThroughTheirEncoding() {
        WorkloadKey action = WorkloadKey.ofAction("shop", "order/fulfil", "charge#card");
        WorkloadKey type = WorkloadKey.ofType("shop", "order/fulfil");

        assertThat(WorkloadKey.decode(action.encoded())).isEqualTo(action);
        assertThat(WorkloadKey.decode(type.encoded())).isEqualTo(type);
        assertThat(action.workflowTypeKey()).isEqualTo(type);
    }

    @Test
    void aWorkflowTypeNamedAsItPrintsIsReadBackTheTenantBeforeTheFirstSlash() {
        WorkloadKey type = WorkloadKey.ofType("shop", "order/fulfil");

        assertThat(WorkloadKey.ofTypeName(type.toString())).isEqualTo(type);
        assertThatThrownBy(() -> WorkloadKey.ofTypeName("checkout"))
                .hasMessage("'checkout' is not a workflow type as tenant/type");
        assertThatThrownBy(() -> WorkloadKey.ofTypeName("shop/"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void encodingsAreTheOnesEarlierSavepointsHold() {
        // the Flink keys of 0.1 (string joins in each operator); keeping them keeps key groups
        assertThat(WorkloadKey.ofAction("t", "w", "a").encoded()).isEqualTo("t\u0000w\u0000a");
        assertThat(WorkloadKey.ofType("t", "w").encoded()).isEqualTo("t\u0000w");
        assertThat(new RunKey("t", "r-1").encoded()).isEqualTo("t/r-1");
        assertThat(AttemptKey.of("a-1", null).encoded()).isEqualTo("a-1#1");
        assertThat(PoolId.defaultFor(WorkloadKey.ofType("t", "w")).name()).isEqualTo("t/w");
    }

    @Test
    void runAndAttemptKeysRoundTripEvenWithSeparatorsInsideIds() {
        RunKey run = new RunKey("shop", "of/2026/981");
        AttemptKey attempt = new AttemptKey("step#3", 2);

        assertThat(RunKey.decode(run.encoded())).isEqualTo(run);
        assertThat(AttemptKey.decode(attempt.encoded())).isEqualTo(attempt);
    }

    @Test
    void rejectsKeysThatWouldBeAmbiguous() {
        assertThatThrownBy(() -> new RunKey("a/b", "r"))
                .hasMessageContaining("may not contain '/'");
        assertThatThrownBy(() -> WorkloadKey.ofType("", "w")).hasMessageContaining("tenant");
        assertThatThrownBy(() -> new AttemptKey("a", 0)).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> WorkloadKey.decode("no-separator"))
                .hasMessageContaining("not a workload key");
    }

    @Test
    void wireNamesMapBothWays() {
        for (Metric m : Metric.values()) {
            assertThat(Metric.ofWireName(m.wireName())).isSameAs(m);
        }
        for (AnomalyKind k : AnomalyKind.values()) {
            assertThat(AnomalyKind.ofWireName(k.wireName())).isSameAs(k);
        }
        for (AllocationReason r : AllocationReason.values()) {
            assertThat(AllocationReason.ofWireName(r.wireName())).isSameAs(r);
        }
        assertThatThrownBy(() -> Metric.ofWireName("heat")).hasMessage("no metric heat");
    }

    @Test
    void onlyCapacityMetricsAreResources() {
        assertThat(Metric.ALL.stream().filter(Metric::isResource))
                .containsExactly(
                        Metric.CPU_SECONDS,
                        Metric.PEAK_CORES,
                        Metric.PEAK_MEMORY_BYTES,
                        Metric.NETWORK_IN_BYTES,
                        Metric.NETWORK_OUT_BYTES);
    }
}
