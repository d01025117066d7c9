package dev.foreshadow.models.demand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OutlooksTest {

    private static final long HOUR = 3600_000;

    /** A forecaster that always expects 10 runs a step (the baseline events are judged against). */
    private static final ArrivalsForecaster TEN_AN_HOUR =
            (type, history, horizon) -> {
                double[] p = new double[horizon];
                Arrays.fill(p, 10);
                return new ArrivalsForecast(p.clone(), p, p.clone(), "ten", "always ten");
            };

    /** Hours of heavy rain (severity 3) on every 7th hour from hour 24, announced a day ahead. */
    private static List<AnnouncedEvent> rain(int hours) {
        List<AnnouncedEvent> out = new ArrayList<>();
        for (int h = 24; h < hours; h += 7) {
            out.add(
                    new AnnouncedEvent(
                            "weather",
                            h * HOUR,
                            (h + 1) * HOUR,
                            3,
                            Set.of("casual"),
                            (h - 24) * HOUR));
        }
        return out;
    }

    /** 10 runs an hour, 4 in a rainy hour. */
    private static double[] counts(int hours, List<AnnouncedEvent> events) {
        double[] c = new double[hours];
        Arrays.fill(c, 10);
        for (AnnouncedEvent e : events) {
            c[(int) (e.startMs() / HOUR)] = 4;
        }
        return c;
    }

    @Test
    void aSeverityIsAMultiplierOnlyUntilEventsOfItsKindTeachTheirRealEffect() {
        List<AnnouncedEvent> events = rain(400);
        double[] counts = counts(400, events);
        Outlooks outlooks = new Outlooks(TEN_AN_HOUR, new EventEffects(), events, 0, HOUR, 2);

        // at hour 23 the first rain (hour 24) is announced and none has been seen: x3
        TypeOutlook first = outlooks.at("casual", counts, 23);
        assertThat(first.mean()).containsExactly(10, 30);
        assertThat(first.events()).containsExactly("weather x3.00 (announced magnitude)");

        // by hour 380 many rainy hours have passed: demand falls to (4 n + 1) / (10 n + 1)
        TypeOutlook later = outlooks.at("casual", counts, 380);
        AnnouncedEvent next =
                events.stream().filter(e -> e.startMs() >= 381 * HOUR).findFirst().get();
        int n = EventEffects.MAX_EVENTS;
        double effect = (4.0 * n + 1) / (10.0 * n + 1);
        assertThat(later.mean()[(int) (next.startMs() / HOUR) - 380])
                .isCloseTo(10 * effect, within(1e-9));
        assertThat(later.events().get(0)).contains("learned from 50 events");
        assertThat(effect).isLessThan(1); // rain lowers demand
    }

    @Test
    void oneCampaignOfASparseTypeAgainstAForecastOfAlmostNoneIsNotATwentyfoldEffect() {
        // a run a step, two during a day-long campaign, and a forecaster that expects 0.1: the
        // campaign doubled demand, but against the forecast it was twentyfold
        ArrivalsForecaster almostNone =
                (type, history, horizon) -> {
                    double[] p = new double[horizon];
                    Arrays.fill(p, 0.1);
                    return new ArrivalsForecast(p.clone(), p, p.clone(), "low", "0.1");
                };
        List<AnnouncedEvent> campaigns =
                List.of(
                        new AnnouncedEvent(
                                "campaign", 24 * HOUR, 48 * HOUR, 2, Set.of("sparse"), 0),
                        new AnnouncedEvent(
                                "campaign",
                                100 * HOUR,
                                124 * HOUR,
                                2,
                                Set.of("sparse"),
                                90 * HOUR));
        double[] counts = new double[96];
        Arrays.fill(counts, 1);
        Arrays.fill(counts, 24, 48, 2);
        Outlooks outlooks = new Outlooks(almostNone, new EventEffects(), campaigns, 0, HOUR, 6);

        TypeOutlook at = outlooks.at("sparse", counts, 95);

        double effect = at.mean()[100 - 95] / 0.1;
        assertThat(at.events()).singleElement().asString().contains("learned from 1 events");
        assertThat(effect).as("48 runs against 2.4 expected, one event").isBetween(2.0, 3.0);
    }

    @Test
    void anEventNotYetAnnouncedIsNotApplied() {
        AnnouncedEvent campaign =
                new AnnouncedEvent(
                        "campaign", 30 * HOUR, 31 * HOUR, 2, Set.of("casual"), 29 * HOUR);
        double[] counts = new double[40];
        Arrays.fill(counts, 10);
        Outlooks outlooks =
                new Outlooks(TEN_AN_HOUR, new EventEffects(), List.of(campaign), 0, HOUR, 3);

        assertThat(outlooks.at("casual", counts, 28).mean()).containsExactly(10, 10, 10);
        assertThat(outlooks.at("casual", counts, 29).mean()).containsExactly(10, 20, 10);
        assertThat(outlooks.at("other", counts, 29).mean()).containsExactly(10, 10, 10);
    }

    @Test
    void theForecasterSaysWhichModelItUsedAndWhy() {
        SelectionForecaster f = new SelectionForecaster(24, 168, 56 * 24);
        double[] season = new double[24 * 30];
        for (int t = 0; t < season.length; t++) {
            season[t] = 10 + 5 * Math.sin(2 * Math.PI * t / 24);
        }

        assertThat(f.forecast("new", new double[0], 2).available()).isFalse();
        assertThat(f.forecast("young", Arrays.copyOf(season, 10), 2).why())
                .startsWith("naive: too little history");
        ArrivalsForecast short_ = f.forecast("short", Arrays.copyOf(season, 40), 2);
        assertThat(short_.model()).isEqualTo("snaive24");
        assertThat(short_.why()).startsWith("seasonal naive: too little history");
        ArrivalsForecast selected = f.forecast("old", season, 2);
        assertThat(selected.why()).contains("best simple baseline").contains("backtest MASE");
        assertThat(selected.p50()[0]).isCloseTo(season[0], within(0.5));
    }

    @Test
    void aTypeWithoutHistoryGetsThePriorOfSimilarTypes() {
        TypeOutlook a =
                new TypeOutlook(
                        "a",
                        0,
                        HOUR,
                        new double[] {4, 6},
                        new double[] {4, 6},
                        "m",
                        "w",
                        List.of(),
                        List.of());
        TypeOutlook b =
                new TypeOutlook(
                        "b",
                        0,
                        HOUR,
                        new double[] {8, 10},
                        new double[] {8, 10},
                        "m",
                        "w",
                        List.of(),
                        List.of());

        TypeOutlook prior = TypeOutlook.prior("new", List.of(a, b));

        assertThat(prior.mean()).containsExactly(6, 8);
        assertThat(prior.why()).isEqualTo("no history: prior from 2 similar types");
        assertThat(prior.available()).isTrue();
    }
}
