package dev.foreshadow.models.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foreshadow.models.domain.Metric;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StreamDetectorTest {

    private static final long FIVE_MINUTES = 300_000L;
    private static final long MONDAY = 1_388_966_400_000L; // 2014-01-06T00:00Z

    @Test
    void scoresZeroDuringWarmUpAndStaysWithinZeroAndOne() {
        StreamDetector d = new StreamDetector();
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 3000; i++) {
            double s =
                    d.score(
                            MONDAY + i * FIVE_MINUTES,
                            10 + r.nextGaussian() + (i % 500 == 499 ? 40 : 0));
            assertThat(s).isBetween(0.0, 1.0);
            if (i < StreamDetector.Config.DEFAULT.warmupPoints()) {
                assertThat(s).isZero();
            }
        }
    }

    @Test
    void scoresASpikeInNoiseHighAndAlmostNoOrdinaryPointAsHigh() {
        StreamDetector d = new StreamDetector();
        SplittableRandom r = new SplittableRandom(2);
        int highOrdinary = 0;
        for (int i = 0; i < 2000; i++) {
            double s = d.score(MONDAY + i * FIVE_MINUTES, 50 + r.nextGaussian());
            if (i > 1000 && s >= 0.99) {
                highOrdinary++; // a new record of the noise can leave the range seen so far
            }
        }
        double spike = d.score(MONDAY + 2000 * FIVE_MINUTES, 70);
        assertThat(spike).isGreaterThan(0.95);
        assertThat(highOrdinary).isLessThanOrEqualTo(2);
    }

    @Test
    void learnsADailyCycleSoItsPeaksAreNotAnomaliesButAPeakAtNightIs() {
        StreamDetector d = new StreamDetector();
        SplittableRandom r = new SplittableRandom(3);
        int perDay = 288;
        double lastDayMax = 0;
        for (int i = 0; i < 10 * perDay; i++) {
            double s = d.score(MONDAY + i * FIVE_MINUTES, daily(i) + 0.5 * r.nextGaussian());
            if (i >= 9 * perDay) {
                lastDayMax = Math.max(lastDayMax, s);
            }
        }
        int night = 10 * perDay; // midnight: the cycle is at its lowest (10)
        // a peak of ten minutes: one point alone within the range seen scores low (the likelihood
        // averages the surprise over 10 points), the second raises it
        double first = d.score(MONDAY + night * FIVE_MINUTES, 28);
        double peakAtNight = Math.max(first, d.score(MONDAY + (night + 1) * FIVE_MINUTES, 28));
        assertThat(lastDayMax).isLessThan(0.5);
        assertThat(peakAtNight).isGreaterThan(0.8);
    }

    @Test
    void alarmsOnALevelShiftThenLearnsTheNewLevel() {
        StreamDetector d = new StreamDetector();
        SplittableRandom r = new SplittableRandom(4);
        for (int i = 0; i < 1500; i++) {
            d.score(MONDAY + i * FIVE_MINUTES, 100 + r.nextGaussian());
        }
        double first = 0;
        for (int i = 1500; i < 1510; i++) {
            first = Math.max(first, d.score(MONDAY + i * FIVE_MINUTES, 130 + r.nextGaussian()));
        }
        double later = 0;
        for (int i = 1510; i < 2500; i++) {
            double s = d.score(MONDAY + i * FIVE_MINUTES, 130 + r.nextGaussian());
            if (i > 1800) {
                later = Math.max(later, s);
            }
        }
        assertThat(first).isGreaterThan(0.95);
        assertThat(later).isLessThan(0.9);
        assertThat(d.lastExpected()).isBetween(125.0, 135.0);
    }

    @Test
    void resumesIdenticallyAfterJavaSerialisationAsFlinkStateWould() throws Exception {
        StreamDetector d = new StreamDetector();
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < 800; i++) {
            d.score(MONDAY + i * FIVE_MINUTES, daily(i) + r.nextGaussian());
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(d);
        }
        StreamDetector restored;
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            restored = (StreamDetector) in.readObject();
        }
        StreamDetector copy = d.copy();
        StreamDetector fromSnapshot = StreamDetector.fromBytes(d.toBytes());
        assertThat(bytes.size()).isLessThan(8_000);
        // both views within the budget of 4 KiB per (workflow type, action type, metric)
        assertThat(d.toBytes().length).isLessThan(4_096);
        for (int i = 800; i < 1200; i++) {
            double v = daily(i) + r.nextGaussian() + (i == 1000 ? 30 : 0);
            double s = d.score(MONDAY + i * FIVE_MINUTES, v);
            assertThat(restored.score(MONDAY + i * FIVE_MINUTES, v)).isEqualTo(s);
            assertThat(copy.score(MONDAY + i * FIVE_MINUTES, v)).isEqualTo(s);
            assertThat(fromSnapshot.score(MONDAY + i * FIVE_MINUTES, v)).isEqualTo(s);
        }
    }

    @Test
    void restoresAPerSampleDetectorFromItsSnapshotAndRejectsAnUnknownFormat() {
        StreamDetector d = ActionScorer.newDetector();
        for (int i = 0; i < 100; i++) {
            d.score(MONDAY + i * FIVE_MINUTES, Math.log1p(100 + i % 5));
        }
        StreamDetector r = StreamDetector.fromBytes(d.toBytes());
        assertThat(r.score(MONDAY + 100 * FIVE_MINUTES, 9.0))
                .isEqualTo(d.score(MONDAY + 100 * FIVE_MINUTES, 9.0));
        byte[] bad = d.toBytes();
        bad[0] = 99;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StreamDetector.fromBytes(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("format 99");
    }

    @Test
    void ignoresNonFiniteValues() {
        StreamDetector d = new StreamDetector();
        assertThat(d.score(MONDAY, Double.NaN)).isZero();
        assertThat(d.points()).isZero();
    }

    /** 10 at midnight, 30 at noon. */
    private static double daily(int i) {
        return 20 - 10 * Math.cos(2 * Math.PI * (i % 288) / 288.0);
    }

    @Test
    void readsAPerSampleSnapshotOfTheEarlierFormatAndScoresAsItWould() throws Exception {
        // written by the format-1 detector after 100 samples of 800..1000 (ActionScorer), with
        // the scores it then gave 8000 and 900 (values below)
        byte[] format1;
        try (var in = getClass().getResourceAsStream("/anomaly/action-detector-format1.b64")) {
            format1 =
                    java.util.Base64.getDecoder()
                            .decode(new String(in.readAllBytes(), "US-ASCII").strip());
        }
        assertThat(format1[0]).isEqualTo((byte) 1);
        long t = 1_389_000_000_000L + 100 * 60_000L;

        ActionScorer.Score spike =
                ActionScorer.score(
                        StreamDetector.fromBytes(format1),
                        Metric.DURATION_MS,
                        8000,
                        t,
                        ActionScorer.AlertRule.DEFAULT);
        ActionScorer.Score ordinary =
                ActionScorer.score(
                        StreamDetector.fromBytes(format1),
                        Metric.DURATION_MS,
                        900,
                        t,
                        ActionScorer.AlertRule.DEFAULT);

        assertThat(spike.score()).isEqualTo(0.9996382525804307);
        assertThat(spike.expected()).isEqualTo(895.7365819856514);
        assertThat(ordinary.score()).isEqualTo(6.096134186339697E-8);
        StreamDetector restored = StreamDetector.fromBytes(format1);
        assertThat(StreamDetector.fromBytes(restored.toBytes()).toBytes())
                .isEqualTo(restored.toBytes())
                .startsWith(3);
    }

    @Test
    void readsASnapshotOfFormatTwoKeepingItsBaselineAndStartingTheSecondViewEmpty()
            throws Exception {
        // written by the format-2 detector (commit 8f86b3f, before the second view) after 100
        // samples of 800..1000 ms one minute apart (ActionScorer), with the scores it then gave
        // 8000 and 900 (values below)
        byte[] format2;
        try (var in = getClass().getResourceAsStream("/anomaly/action-detector-format2.b64")) {
            format2 =
                    java.util.Base64.getDecoder()
                            .decode(new String(in.readAllBytes(), "US-ASCII").strip());
        }
        assertThat(format2[0]).isEqualTo((byte) 2);
        long t = 1_389_000_000_000L + 100 * 60_000L;

        ActionScorer.Score spike =
                ActionScorer.score(
                        StreamDetector.fromBytes(format2),
                        Metric.DURATION_MS,
                        8000,
                        t,
                        ActionScorer.AlertRule.DEFAULT);
        ActionScorer.Score ordinary =
                ActionScorer.score(
                        StreamDetector.fromBytes(format2),
                        Metric.DURATION_MS,
                        900,
                        t,
                        ActionScorer.AlertRule.DEFAULT);

        assertThat(spike.score()).isEqualTo(0.9997252520700024);
        assertThat(spike.expected()).isEqualTo(893.9017734033049);
        assertThat(ordinary.score()).isEqualTo(3.361228992915244E-7);
        StreamDetector restored = StreamDetector.fromBytes(format2);
        assertThat(restored.points()).isEqualTo(100);
        byte[] upgraded = restored.toBytes();
        assertThat(upgraded).startsWith(3);
        assertThat(StreamDetector.fromBytes(upgraded).toBytes()).isEqualTo(upgraded);
        assertThat(upgraded.length)
                .as("with the empty second view's memory")
                .isGreaterThan(format2.length + 4 * ActionScorer.CONFIG.shapeHistory());
    }

    @Test
    void aValueInAGapBetweenTheValuesSeenScoresOneAsOneBeyondThemWould() {
        StreamDetector d = new StreamDetector();
        SplittableRandom r = new SplittableRandom(6);
        for (int i = 0; i < 1000; i++) {
            // a job that runs at 10 or at 20, never in between
            d.score(MONDAY + i * FIVE_MINUTES, (i % 40 < 20 ? 10 : 20) + 0.1 * r.nextGaussian());
        }
        StreamDetector usual = d.copy();
        assertThat(d.score(MONDAY + 1000 * FIVE_MINUTES, 15)).isEqualTo(1.0);
        assertThat(usual.score(MONDAY + 1000 * FIVE_MINUTES, 10.05)).isLessThan(0.5);
    }
}
