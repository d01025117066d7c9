package dev.foreshadow.models.planning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foreshadow.models.domain.AllocationReason;
import dev.foreshadow.models.domain.PoolId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PoolFloorsAndRoutingTest {

    private static Decision floor(long issued, long readyBy, long expires, int instances) {
        return new Decision(
                new PoolId("p"),
                issued,
                readyBy,
                expires,
                instances,
                0,
                0,
                0,
                Set.of(),
                0.9,
                AllocationReason.FORECAST,
                "forecast",
                false,
                new Decision.Basis(0, 0, 0, 0, instances, 0, Map.of(), List.of(), List.of()));
    }

    @Test
    void theTargetIsTheLargestFloorInForceClampedAndScalesInOnlyAfterTheCooldown() {
        PoolFloors floors = new PoolFloors(1, 20, 60_000);
        floors.add(floor(0, 180_000, 195_000, 5));
        floors.add(floor(15_000, 195_000, 210_000, 30));

        assertThat(floors.target(0)).isEqualTo(5); // in force from its issue
        assertThat(floors.target(15_000)).isEqualTo(20); // 30, clamped to the maximum
        // both expire by 210 s; the target stays at 20 for the 60 s cooldown
        assertThat(floors.target(200_000)).isEqualTo(20);
        assertThat(floors.target(215_000)).isEqualTo(20);
        assertThat(floors.target(280_000)).isEqualTo(1); // the minimum, once the cooldown passed
    }

    @Test
    void aCertificationConstrainedTypeNeverLandsOnAnUncertifiedPool() {
        PoolSpec general = spec("general", Set.of());
        PoolSpec pci = spec("pci", Set.of("PCI-DSS"));
        Routing routing =
                new Routing(
                        List.of(general, pci),
                        Map.of("checkout", Set.of("PCI-DSS"), "audit", Set.of("HIPAA")),
                        Map.of(
                                "checkout",
                                new PoolId("general"),
                                "reports",
                                new PoolId("general")));

        // configured for the general pool, but it needs PCI-DSS: the certified pool takes it
        assertThat(routing.poolOf("checkout")).contains(new PoolId("pci"));
        assertThat(routing.poolOf("reports")).contains(new PoolId("general"));
        // no pool holds HIPAA: it is routed nowhere rather than to an uncertified pool
        assertThat(routing.poolOf("audit")).isEqualTo(Optional.empty());
        // without configuration, the first eligible pool by name
        assertThat(routing.poolOf("search")).contains(new PoolId("general"));
    }

    private static PoolSpec spec(String name, Set<String> certifications) {
        return new PoolSpec(
                new PoolId(name), 8, 32L << 30, 180_000, 0, 10, 1, 0, 0, certifications, false);
    }
}
