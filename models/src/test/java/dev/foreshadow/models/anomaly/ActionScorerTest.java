package dev.foreshadow.models.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.foreshadow.models.domain.Metric;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ActionScorerTest {

    private static final long MONDAY_9AM = 1_389_000_000_000L;
    private static final long MINUTE = 60_000L;

    @Test
    void aModerateRiseAlertsOnItsSecondSampleInARowButNotAloneNorAsADrop() {
        for (double factor : new double[] {1.4, 1 / 1.4}) {
            StreamDetector d = ActionScorer.newDetector();
            SplittableRandom r = new SplittableRandom(11);
            long t = MONDAY_9AM;
            for (int i = 0; i < 300; i++, t += MINUTE) {
                ActionScorer.score(
                        d,
                        Metric.DURATION_MS,
                        // the last two at the baseline, so the rise starts a run
                        i < 298 ? 1000 * Math.exp(0.2 * r.nextGaussian()) : 1000,
                        t,
                        ActionScorer.AlertRule.DEFAULT);
            }
            ActionScorer.Score first =
                    ActionScorer.score(
                            d,
                            Metric.DURATION_MS,
                            1000 * factor,
                            t,
                            ActionScorer.AlertRule.DEFAULT);
            ActionScorer.Score second =
                    ActionScorer.score(
                            d,
                            Metric.DURATION_MS,
                            1000 * factor,
                            t + MINUTE,
                            ActionScorer.AlertRule.DEFAULT);
            assertThat(first.score()).as("one sample is not surprising").isLessThan(0.5);
            assertThat(first.alert()).isFalse();
            assertThat(second.score()).isLessThan(ActionScorer.ALERT_THRESHOLD);
            assertThat(second.alert())
                    .as("the second in a row, factor %s", factor)
                    .isEqualTo(factor > 1);
        }
    }

    @Test
    void flagsAnActionTenTimesSlowerThanItsHistoryAndReportsTheExpectedDuration() {
        ActionScorer scorer = new ActionScorer();
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 200; i++) {
            ActionScorer.Score s =
                    scorer.score(
                            "order",
                            "charge-card",
                            Metric.DURATION_MS,
                            800 * Math.exp(0.1 * r.nextGaussian()),
                            MONDAY_9AM + i * MINUTE);
            if (i > 50) {
                assertThat(s.alert()).as("ordinary sample %d", i).isFalse();
            }
        }
        ActionScorer.Score slow =
                scorer.score(
                        "order",
                        "charge-card",
                        Metric.DURATION_MS,
                        8000,
                        MONDAY_9AM + 200 * MINUTE);
        assertThat(slow.alert()).isTrue();
        assertThat(slow.score()).isGreaterThanOrEqualTo(ActionScorer.ALERT_THRESHOLD);
        assertThat(slow.expected()).isCloseTo(800, within(100.0));
    }

    @Test
    void keepsOneBaselinePerWorkflowTypeActionTypeAndMetric() {
        ActionScorer scorer = new ActionScorer();
        for (int i = 0; i < 100; i++) {
            scorer.score(
                    "order",
                    "charge-card",
                    Metric.DURATION_MS,
                    800 + i % 7,
                    MONDAY_9AM + i * MINUTE);
            scorer.score(
                    "order", "ship", Metric.DURATION_MS, 90_000 + i % 7, MONDAY_9AM + i * MINUTE);
            scorer.score("refund", "charge-card", Metric.COST, 0.01, MONDAY_9AM + i * MINUTE);
        }
        assertThat(scorer.keys()).isEqualTo(3);
        // a normal shipping duration is wildly abnormal for charging a card, and the reverse:
        // baselines are separate
        assertThat(
                        scorer.score(
                                        "order",
                                        "ship",
                                        Metric.DURATION_MS,
                                        90_003,
                                        MONDAY_9AM + 100 * MINUTE)
                                .alert())
                .isFalse();
        assertThat(
                        scorer.score(
                                        "order",
                                        "charge-card",
                                        Metric.DURATION_MS,
                                        90_003,
                                        MONDAY_9AM + 100 * MINUTE)
                                .alert())
                .isTrue();
    }

    @Test
    void staysQuietDuringTheWarmUpOfANewKey() {
        ActionScorer scorer = new ActionScorer();
        for (int i = 0; i < ActionScorer.CONFIG.warmupPoints(); i++) {
            assertThat(
                            scorer.score(
                                            "w",
                                            "a",
                                            Metric.CPU_SECONDS,
                                            i % 2 == 0 ? 1 : 1000,
                                            MONDAY_9AM + i * MINUTE)
                                    .score())
                    .isZero();
        }
    }

    @Test
    void exposesADetectorForKeyedFlinkState() {
        StreamDetector d = ActionScorer.newDetector();
        assertThat(
                        ActionScorer.score(
                                        d,
                                        Metric.DURATION_MS,
                                        100,
                                        MONDAY_9AM,
                                        ActionScorer.AlertRule.DEFAULT)
                                .score())
                .isZero();
        assertThat(d.points()).isEqualTo(1);
    }

    @Test
    void alertsOnlyOnTheConfiguredSideOfTheBaseline() {
        ActionScorer above =
                new ActionScorer(new ActionScorer.AlertRule(ActionScorer.Direction.ABOVE, 0.2));
        ActionScorer below =
                new ActionScorer(new ActionScorer.AlertRule(ActionScorer.Direction.BELOW, 0.2));
        ActionScorer both = new ActionScorer();
        SplittableRandom r = new SplittableRandom(11);
        for (int i = 0; i < 200; i++) {
            double v = 800 * Math.exp(0.1 * r.nextGaussian());
            for (ActionScorer s : List.of(above, below, both)) {
                s.score("etl", "load", Metric.BYTES_WRITTEN, v, MONDAY_9AM + i * MINUTE);
            }
        }
        long t = MONDAY_9AM + 200 * MINUTE;
        ActionScorer.Score drop = above.score("etl", "load", Metric.BYTES_WRITTEN, 40, t);
        assertThat(drop.score()).isGreaterThanOrEqualTo(ActionScorer.ALERT_THRESHOLD);
        assertThat(drop.alert()).as("a drop scored high but is not an alert above").isFalse();
        assertThat(below.score("etl", "load", Metric.BYTES_WRITTEN, 40, t).alert()).isTrue();
        assertThat(both.score("etl", "load", Metric.BYTES_WRITTEN, 40, t).alert()).isTrue();
        assertThat(below.score("etl", "load", Metric.BYTES_WRITTEN, 16_000, t + MINUTE).alert())
                .isFalse();
        assertThat(both.score("etl", "load", Metric.BYTES_WRITTEN, 16_000, t + MINUTE).alert())
                .isTrue();
    }

    @Test
    void parsesADirectionOrNamesTheSettingInTheError() {
        assertThat(ActionScorer.Direction.parse("anomaly.direction", " Below "))
                .isEqualTo(ActionScorer.Direction.BELOW);
        assertThatThrownBy(() -> ActionScorer.Direction.parse("anomaly.direction", "up"))
                .hasMessage("anomaly.direction must be above, below or both, got 'up'");
    }

    @Test
    void aMetricThatNeverVariesDoesNotAlertOnATinyChange() {
        ActionScorer scorer = new ActionScorer();
        ActionScorer anyChange =
                new ActionScorer(new ActionScorer.AlertRule(ActionScorer.Direction.BOTH, 0));
        for (int i = 0; i < 100; i++) {
            scorer.score("etl", "load", Metric.NETWORK_OUT_BYTES, 340, MONDAY_9AM + i * MINUTE);
            anyChange.score("etl", "load", Metric.NETWORK_OUT_BYTES, 340, MONDAY_9AM + i * MINUTE);
        }
        long t = MONDAY_9AM + 100 * MINUTE;
        ActionScorer.Score tiny = scorer.score("etl", "load", Metric.NETWORK_OUT_BYTES, 339, t);
        assertThat(tiny.score()).isGreaterThanOrEqualTo(ActionScorer.ALERT_THRESHOLD);
        assertThat(tiny.alert()).as("339 bytes instead of 340 is under 20%").isFalse();
        assertThat(anyChange.score("etl", "load", Metric.NETWORK_OUT_BYTES, 339, t).alert())
                .isTrue();
        assertThat(scorer.score("etl", "load", Metric.NETWORK_OUT_BYTES, 3400, t + MINUTE).alert())
                .isTrue();
        assertThatThrownBy(() -> new ActionScorer.AlertRule(ActionScorer.Direction.BOTH, -1))
                .hasMessageContaining(">= 0");
    }

    @Test
    void scoresATinyCostOnALogScaleSoItsUsualSpreadIsNoAlertButTwentyTimesIs() {
        ActionScorer scorer = new ActionScorer();
        SplittableRandom r = new SplittableRandom(13);
        for (int i = 0; i < 200; i++) {
            // a cost of about 0.0001 that varies by a factor of 1.5 (log-normal, sigma 0.4)
            double cost = 0.0001 * Math.exp(0.4 * r.nextGaussian());
            scorer.score("etl", "load", Metric.COST, cost, MONDAY_9AM + i * MINUTE);
        }
        long t = MONDAY_9AM + 200 * MINUTE;
        // 3.3 times the median is three of its usual (log) deviations: on log(1 + x), where 0.0001
        // is additive, it scored 0.91 and alerted
        ActionScorer.Score usual = scorer.score("etl", "load", Metric.COST, 0.00033, t);
        assertThat(usual.alert()).isFalse();
        assertThat(usual.score()).isLessThan(0.5);
        assertThat(usual.expected()).isBetween(0.00007, 0.00014);
        ActionScorer.Score twentyfold = scorer.score("etl", "load", Metric.COST, 0.002, t + MINUTE);
        assertThat(twentyfold.alert()).isTrue();
    }
}
