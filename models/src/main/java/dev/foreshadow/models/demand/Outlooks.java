package dev.foreshadow.models.demand;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes each workflow type's {@link TypeOutlook} at a forecast origin: the arrivals forecast of
 * {@link ArrivalsForecaster} from the counts before the origin, times the effect of every external
 * event announced by then that covers the step ({@link EventEffects}, learned from the events of
 * the kind that ended before the origin: their runs against the forecaster's baseline for them), or
 * the announced magnitude while none of the kind has been seen. Input: the series of counts per
 * step (only the part before the origin is read), the events; output: the outlook for {@code
 * horizon} steps.
 */
public final class Outlooks {

    private final ArrivalsForecaster forecaster;
    private final EventEffects effects;
    private final List<AnnouncedEvent> events;
    private final long firstStepMs;
    private final long stepMs;
    private final int horizon;

    /** The longest event: an event starting earlier than this before a step cannot cover it. */
    private final long longestMs;

    /** Per type, the events already learned (by index in {@link #events}). */
    private final Map<String, Set<Integer>> learned = new ConcurrentHashMap<>();

    /** Per type, the first event (in start order) not yet learned. */
    private final Map<String, int[]> cursor = new ConcurrentHashMap<>();

    public Outlooks(
            ArrivalsForecaster forecaster,
            EventEffects effects,
            List<AnnouncedEvent> events,
            long firstStepMs,
            long stepMs,
            int horizon) {
        this.forecaster = forecaster;
        this.effects = effects;
        this.events = List.copyOf(events);
        this.firstStepMs = firstStepMs;
        this.stepMs = stepMs;
        this.horizon = horizon;
        this.longestMs =
                this.events.stream().mapToLong(e -> e.endMs() - e.startMs()).max().orElse(0);
    }

    public int horizon() {
        return horizon;
    }

    public long stepMs() {
        return stepMs;
    }

    long stepStart(int step) {
        return firstStepMs + step * stepMs;
    }

    /** The outlook of {@code type} at step {@code origin}, from {@code counts[0, origin)}. */
    public TypeOutlook at(String type, double[] counts, int origin) {
        long originMs = stepStart(origin);
        learnFinishedEvents(type, counts, origin, originMs);
        double[] history = Arrays.copyOf(counts, Math.min(origin, counts.length));
        ArrivalsForecast f = forecaster.forecast(type, history, horizon);
        if (!f.available()) {
            return TypeOutlook.unavailable(type, originMs, stepMs, horizon, f.why());
        }
        double[] mean = new double[horizon];
        double[] variance = new double[horizon];
        TreeMap<String, String> applied = new TreeMap<>();
        for (int h = 0; h < horizon; h++) {
            long from = originMs + h * stepMs;
            long to = from + stepMs;
            double multiplier = 1;
            for (int i = firstStartingAtOrAfter(from - longestMs); i < events.size(); i++) {
                AnnouncedEvent e = events.get(i);
                if (e.startMs() >= to) {
                    break; // events are in start order
                }
                if (e.announcedMs() > originMs
                        || e.endMs() <= from
                        || !e.workflowTypes().contains(type)) {
                    continue;
                }
                double overlap =
                        (double) (Math.min(to, e.endMs()) - Math.max(from, e.startMs())) / stepMs;
                EventEffects.Effect effect = effects.effect(type, e.kind(), e.magnitude());
                multiplier *= 1 + (effect.multiplier() - 1) * overlap;
                applied.put(e.kind(), effect.describe(e.kind()));
            }
            mean[h] = f.mean(h) * multiplier;
            variance[h] = f.variance(h) * multiplier * multiplier;
        }
        return new TypeOutlook(
                type,
                originMs,
                stepMs,
                mean,
                variance,
                f.model(),
                f.why(),
                new ArrayList<>(applied.values()),
                List.of());
    }

    /**
     * Learns from the events of {@code type} that ended by the origin and were not learned yet, at
     * most the last {@link EventEffects#MAX_EVENTS} of each kind: their runs against the forecast
     * made at their start.
     */
    private void learnFinishedEvents(String type, double[] counts, int origin, long originMs) {
        Set<Integer> done = learned.computeIfAbsent(type, k -> new HashSet<>());
        int[] first = cursor.computeIfAbsent(type, k -> new int[1]);
        Map<String, List<Integer>> byKind = new TreeMap<>();
        for (int i = first[0]; i < events.size(); i++) {
            AnnouncedEvent e = events.get(i);
            if (e.startMs() >= originMs) {
                break;
            }
            if (e.endMs() <= originMs && !done.contains(i)) {
                if (e.workflowTypes().contains(type)) {
                    byKind.computeIfAbsent(e.kind(), k -> new ArrayList<>()).add(i);
                } else {
                    done.add(i);
                }
            }
        }
        for (List<Integer> indices : byKind.values()) {
            int skip = Math.max(0, indices.size() - EventEffects.MAX_EVENTS);
            for (int j = 0; j < indices.size(); j++) {
                int i = indices.get(j);
                done.add(i);
                if (j < skip) {
                    continue;
                }
                AnnouncedEvent e = events.get(i);
                int start = (int) Math.floorDiv(e.startMs() - firstStepMs, stepMs);
                int end = (int) Math.floorDiv(e.endMs() - firstStepMs + stepMs - 1, stepMs);
                if (start < 1 || end > Math.min(origin, counts.length) || end <= start) {
                    continue; // no history before it, or not yet counted
                }
                ArrivalsForecast baseline =
                        forecaster.forecast(type, Arrays.copyOf(counts, start), end - start);
                if (!baseline.available()) {
                    continue;
                }
                double actual = 0;
                double expected = 0;
                for (int s = start; s < end; s++) {
                    actual += counts[s];
                    expected += baseline.mean(s - start);
                }
                effects.learn(type, e.kind(), actual, expected, end - start);
            }
        }
        while (first[0] < events.size() && done.contains(first[0])) {
            first[0]++;
        }
    }

    private int firstStartingAtOrAfter(long t) {
        int lo = 0;
        int hi = events.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (events.get(mid).startMs() < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
