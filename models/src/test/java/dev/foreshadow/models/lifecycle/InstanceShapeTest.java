package dev.foreshadow.models.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InstanceShapeTest {

    private static final long GIB = 1L << 30;
    private static final InstanceShape EIGHT_CORES = new InstanceShape(8, 32 * GIB, 0);

    @Test
    void theLargestDimensionOfACommandDecidesItsInstances() {
        assertThat(EIGHT_CORES.instancesFor(17, 0, 0, 1)).isEqualTo(3);
        assertThat(EIGHT_CORES.instancesFor(8, 33 * GIB, 0, 0)).isEqualTo(2);
        assertThat(EIGHT_CORES.instancesFor(0, 0, 0, 4)).isEqualTo(4);
        assertThat(EIGHT_CORES.instancesFor(16, 0, 0, 0))
                .as("exactly two instances' cores")
                .isEqualTo(2);
    }

    @Test
    void networkCountsOnlyWhereThePoolSizesByIt() {
        assertThat(EIGHT_CORES.instancesFor(0, 0, 10_000_000_000L, 0)).isZero();
        assertThat(
                        new InstanceShape(8, 32 * GIB, 1_000_000_000L)
                                .instancesFor(0, 0, 2_500_000_000L, 0))
                .isEqualTo(3);
    }

    @Test
    void anInstanceOffersSomething() {
        assertThatThrownBy(() -> new InstanceShape(0, GIB, 0))
                .hasMessage("an instance's cores must be positive, got 0.0");
    }
}
