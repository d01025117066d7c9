package dev.foreshadow.models.demand;

/**
 * The seasons of an arrivals series, from its step alone (one rule for every dataset): the season
 * is the first calendar period (hour, day, week) that spans at least {@link #MIN_STEPS} steps, the
 * long season the next one; the fitted history is at most 56 days (as {@code train}'s window) and
 * at least four long seasons.
 */
public record Seasons(int season, int longSeason, int historySteps) {

    static final int MIN_STEPS = 12;
    private static final long[] PERIODS = {3600_000L, 86_400_000L, 7 * 86_400_000L};

    public static Seasons forStep(long stepMs) {
        if (stepMs <= 0) {
            throw new IllegalArgumentException("the step must be > 0");
        }
        for (int i = 0; i < PERIODS.length; i++) {
            if (PERIODS[i] % stepMs == 0 && PERIODS[i] / stepMs >= MIN_STEPS) {
                int season = (int) (PERIODS[i] / stepMs);
                int longSeason = i + 1 < PERIODS.length ? (int) (PERIODS[i + 1] / stepMs) : 0;
                int history =
                        (int)
                                Math.max(
                                        56 * 86_400_000L / stepMs,
                                        4L * Math.max(season, longSeason));
                return new Seasons(season, longSeason, history);
            }
        }
        return new Seasons(MIN_STEPS, 0, 56 * MIN_STEPS);
    }
}
