package dev.foreshadow.jobs.shadow.anomalies;

import static dev.foreshadow.jobs.Harnesses.collector;
import static dev.foreshadow.jobs.shadow.anomalies.OperatorFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.foreshadow.connectors.records.AllocationCommand;
import dev.foreshadow.connectors.records.Anomaly;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScaleUpOnSpikeTest {

    @Test
    void aSustainedCoreSpikeAsksForTheMissingCoresNowAndNeitherDurationNorADropDoes() {
        List<AllocationCommand> out = new ArrayList<>();
        ScaleUpOnSpike rule = new ScaleUpOnSpike(1, Duration.ofMinutes(30));
        rule.flatMap(spike("s1", "peakCores", 6.2, 2.0), collector(out));
        rule.flatMap(spike("s2", "durationMs", 9, 1), collector(out));
        rule.flatMap(spike("s3", "peakMemoryBytes", 1e6, 8e9), collector(out));

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
                            assertThat(c.dryRun()).isFalse();
                        });
    }

    private static Anomaly spike(String id, String metric, double observed, double expected) {
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
                observed,
                expected,
                1.0,
                Map.of());
    }
}
