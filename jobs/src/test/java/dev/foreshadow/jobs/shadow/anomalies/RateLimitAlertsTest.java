package dev.foreshadow.jobs.shadow.anomalies;

import static dev.foreshadow.jobs.Harnesses.keyed;
import static dev.foreshadow.jobs.shadow.anomalies.OperatorFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.foreshadow.connectors.records.Anomaly;
import org.junit.jupiter.api.Test;

class RateLimitAlertsTest {

    @Test
    void alertsPastTheBurstOfATenantAreHeldBackWhileAnotherTenantStillAlerts() throws Exception {
        var h = keyed(new RateLimitAlerts(1, 2), Anomaly::tenant);
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
    void aTenantsBucketIsGoneOnceItIsFullAgain() throws Exception {
        var h = keyed(new RateLimitAlerts(60, 2), Anomaly::tenant);
        h.setProcessingTime(1_000);
        h.processElement(anomaly("a0", "shop"), 0);
        h.processElement(anomaly("a1", "shop"), 0);
        assertThat(h.numKeyedStateEntries()).isEqualTo(1);

        h.setProcessingTime(1_000 + 1_999);
        assertThat(h.numKeyedStateEntries()).as("one token short").isEqualTo(1);
        h.setProcessingTime(1_000 + 2_000);

        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numProcessingTimeTimers()).isZero();
        h.close();
    }
}
