package dev.foreshadow.models.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ShapeViewTest {

    private static ShapeView defaultView() {
        StreamDetector.Config c = StreamDetector.Config.DEFAULT;
        return new ShapeView(c.shapeWindow(), c.shapeStep(), c.shapeHistory(), c.longRate());
    }

    @Test
    void aBurstOfVarianceAtTheSameLevelIsADiscordWhereTheOrdinaryNoiseIsNot() {
        ShapeView v = defaultView();
        SplittableRandom r = new SplittableRandom(3);
        double before = 0;
        for (int i = 0; i < 3000; i++) {
            double s = v.score(50 + r.nextGaussian());
            if (i >= 2000) {
                before = Math.max(before, s);
            }
        }
        double during = 0;
        for (int i = 0; i < 200; i++) {
            during = Math.max(during, v.score(50 + 6 * r.nextGaussian()));
        }
        assertThat(before).as("ordinary noise").isLessThan(0.9);
        assertThat(during).as("the same mean, six times the spread").isGreaterThan(0.99);
    }

    @Test
    void scoresNothingUntilItHasThreeWindowsOfSteps() {
        ShapeView v = defaultView();
        StreamDetector.Config c = StreamDetector.Config.DEFAULT;
        for (int i = 0; i < 3 * c.shapeWindow() * c.shapeStep(); i++) {
            assertThat(v.score(i % 2 == 0 ? 0 : 1000)).isZero();
        }
    }

    @Test
    void resumesIdenticallyFromItsBytesAndRefusesAnUnknownFormat() throws Exception {
        ShapeView v = defaultView();
        SplittableRandom r = new SplittableRandom(4);
        for (int i = 0; i < 1500; i++) {
            v.score(Math.sin(i / 20.0) + 0.1 * r.nextGaussian());
        }
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(v.snapshotBytes());
        v.write(bytes);
        assertThat(bytes.remaining()).as("snapshotBytes is exact").isZero();
        ShapeView restored = ShapeView.read(java.nio.ByteBuffer.wrap(bytes.array()));
        ShapeView copy = v.copy();
        for (int i = 1500; i < 2000; i++) {
            double x =
                    Math.sin(i / 20.0) + 0.1 * r.nextGaussian() + (i > 1800 ? r.nextGaussian() : 0);
            double s = v.score(x);
            assertThat(restored.score(x)).isEqualTo(s);
            assertThat(copy.score(x)).isEqualTo(s);
        }
        byte[] bad = bytes.array().clone();
        bad[0] = 9;
        assertThatThrownBy(() -> ShapeView.read(java.nio.ByteBuffer.wrap(bad)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("format 9");
    }

    @Test
    void refusesAMemoryShorterThanThreeWindows() {
        assertThatThrownBy(() -> new ShapeView(12, 4, 30, 0.001))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("history >= 3 windows");
    }
}
