package dev.foreshadow.models.planning;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The HPA rule as "Horizontal Pod Autoscaling" (kubernetes.io, algorithm details and scaling
 * behavior) states it, with target 70%, tolerance 0.1, 15 s syncs and a 300 s scale-down window.
 */
class HorizontalPodAutoscalerTest {

    private static HorizontalPodAutoscaler hpa() {
        return new HorizontalPodAutoscaler(HorizontalPodAutoscaler.Settings.defaults(1000));
    }

    @Test
    void desiredIsTheCeilingOfCurrentTimesUtilisationOverTarget() {
        // 4 pods at 90% against 70%: ceil(4 x 90 / 70) = ceil(5.14) = 6
        assertThat(hpa().calculate(4, 4, 0, 4 * 0.9)).isEqualTo(6);
        // 10 pods at 35%: ceil(10 x 35 / 70) = 5
        assertThat(hpa().calculate(10, 10, 0, 10 * 0.35)).isEqualTo(5);
    }

    @Test
    void aRatioWithinTheToleranceChangesNothing() {
        // 75 / 70 = 1.07 and 65 / 70 = 0.93 are within 0.1 of 1
        assertThat(hpa().calculate(4, 4, 0, 4 * 0.75)).isEqualTo(4);
        assertThat(hpa().calculate(4, 4, 0, 4 * 0.65)).isEqualTo(4);
    }

    @Test
    void podsNotYetReadyCountAsIdleWhenScalingUp() {
        // 4 ready at 100% and 1 booting: (4 / 5) / 0.7 = 1.14, so ceil(1.14 x 5) = 6
        assertThat(hpa().calculate(5, 4, 1, 4.0)).isEqualTo(6);
        // 3 ready at 100% and 1 booting: (3 / 4) / 0.7 = 1.07 is within the tolerance
        assertThat(hpa().calculate(4, 3, 1, 3.0)).isEqualTo(4);
        // 2 ready at 100% and 2 booting: (2 / 4) / 0.7 = 0.71 would reverse the direction
        assertThat(hpa().calculate(4, 2, 2, 2.0)).isEqualTo(4);
    }

    @Test
    void withoutAReadyPodThereIsNoMetricAndNoChange() {
        assertThat(hpa().calculate(3, 0, 3, 0)).isEqualTo(3);
    }

    @Test
    void scaleUpIsLimitedToTheLargerOfDoublingAndFourPodsPerPeriod() {
        // a metric 10 times the target asks for 15 from 1, but one period allows max(2, 1 + 4)
        assertThat(hpa().desired(0, 1, 1, 0, 10 * 0.7 * 1.5)).isEqualTo(5);
        // from 10, max(20, 14) = 20
        assertThat(hpa().desired(0, 10, 10, 0, 100)).isEqualTo(20);
    }

    @Test
    void scaleDownWaitsForTheHighestRecommendationOfTheLast300Seconds() {
        HorizontalPodAutoscaler h = hpa();
        assertThat(h.desired(0, 10, 10, 0, 10)).isEqualTo(15);
        // load falls to 10%: the recommendation is 3, but 15 was recommended within 300 s
        for (long t = 15_000; t < 300_000; t += 15_000) {
            assertThat(h.desired(t, 15, 15, 0, 1.5)).isEqualTo(15);
        }
        // at 300 s the recommendation of 0 s leaves the window
        assertThat(h.desired(300_000, 15, 15, 0, 1.5)).isEqualTo(3);
    }

    @Test
    void replicasStayWithinTheirBounds() {
        HorizontalPodAutoscaler h =
                new HorizontalPodAutoscaler(
                        new HorizontalPodAutoscaler.Settings(0.7, 0.1, 15_000, 0, 4, 100, 2, 6));
        assertThat(h.desired(0, 5, 5, 0, 0)).isEqualTo(2);
        assertThat(h.desired(15_000, 5, 5, 0, 5)).isEqualTo(6);
    }
}
