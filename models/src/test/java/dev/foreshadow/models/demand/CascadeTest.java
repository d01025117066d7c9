package dev.foreshadow.models.demand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.foreshadow.models.dependency.Dependency;
import java.util.List;
import org.junit.jupiter.api.Test;

class CascadeTest {

    private static final long MINUTE = 60_000;

    private static Dependency parentToChild(double probability, long binMs, double... weights) {
        return new Dependency("parent", "child", probability, binMs, weights, 100, "test");
    }

    private static TypeOutlook outlook(String type, int origin, double... mean) {
        return new TypeOutlook(
                type, origin * MINUTE, MINUTE, mean, mean.clone(), "m", "w", List.of(), List.of());
    }

    @Test
    void aLagOfHalfAStepSplitsTheParentsStartsBetweenTwoSteps() {
        // one bin of a minute: lags at 30 s, so a child's minute holds the runs its parent
        // started in the second half of the minute before and the first half of its own
        Cascade cascade =
                new Cascade(
                        List.of(parentToChild(0.5, MINUTE, 1)), List.of("child", "parent"), MINUTE);
        double[][] counts = {{10, 10, 10, 10}, {4, 8, 0, 12}};

        double[] untriggered = cascade.untriggered(0, counts);

        // 0.5 x (0.5 x parent[s - 1] + 0.5 x parent[s])
        assertThat(untriggered).containsExactly(new double[] {9, 7, 8, 7}, within(1e-12));
    }

    @Test
    void theParentsOutlookCarriesTheCascadePastTheOrigin() {
        // a bin of two minutes, all of it the second: a lag of three minutes exactly
        Cascade cascade =
                new Cascade(
                        List.of(parentToChild(0.25, 2 * MINUTE, 0, 1)),
                        List.of("child", "parent"),
                        MINUTE);
        double[][] counts = {{0, 0, 0, 0, 0}, {8, 4, 12, 16, 20}};
        TypeOutlook[] at = {outlook("child", 5, 1, 1, 1, 1), outlook("parent", 5, 40, 80, 0, 0)};

        TypeOutlook child = cascade.apply(at, counts, 5)[0];

        // steps 5..8 take the parent's starts of steps 2..5: 12 and 16 and 20 counted, 40 forecast
        assertThat(child.mean()).containsExactly(new double[] {4, 5, 6, 11}, within(1e-12));
        // the added starts are taken as Poisson: their variance is their mean
        assertThat(child.variance()).containsExactly(new double[] {4, 5, 6, 11}, within(1e-12));
        assertThat(child.dependencies()).hasSize(1);
    }

    @Test
    void untriggeredRunsNeverFallBelowZero() {
        Cascade cascade =
                new Cascade(
                        List.of(parentToChild(1, MINUTE, 1)), List.of("child", "parent"), MINUTE);
        double[][] counts = {{0, 1}, {10, 10}};

        assertThat(cascade.untriggered(0, counts)).containsExactly(0, 0);
    }
}
