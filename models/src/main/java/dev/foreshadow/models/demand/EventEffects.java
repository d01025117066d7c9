package dev.foreshadow.models.demand;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What external events of one kind did to one workflow type's arrivals, learned from past events:
 * the ratio of the runs that arrived during them to what the forecaster expected without the event,
 * summed over the last {@link #MAX_EVENTS} events, each side plus one run per step of an average
 * event: a prior of "no effect" worth one event at a run a step, so that a few runs, or a
 * forecaster that expected almost none (a sparse series), cannot give 0, infinity or a twentyfold
 * effect, while many events outweigh it. Where no event of the kind has been seen for the type, the
 * announced magnitude is the multiplier. Input: per finished event the actual and the baseline
 * count and its steps; output: the {@link Effect} to apply to a forecast, with how many events it
 * rests on.
 */
public final class EventEffects {

    /** The most recent events of a (type, kind) an effect rests on. */
    public static final int MAX_EVENTS = 50;

    /** A multiplier of the forecast and what it rests on. */
    public record Effect(double multiplier, int events, boolean learned) {
        public String describe(String kind) {
            return learned
                    ? String.format("%s x%.2f (learned from %d events)", kind, multiplier, events)
                    : String.format("%s x%.2f (announced magnitude)", kind, multiplier);
        }
    }

    private final Map<String, Deque<double[]>> seen = new ConcurrentHashMap<>();

    /**
     * One finished event of {@code kind}, {@code steps} long: {@code actual} runs of {@code type}
     * against {@code baseline}.
     */
    public void learn(String type, String kind, double actual, double baseline, int steps) {
        if (!(actual >= 0) || !(baseline >= 0) || steps < 1) {
            throw new IllegalArgumentException("counts must be >= 0 and steps >= 1");
        }
        Deque<double[]> d = seen.computeIfAbsent(key(type, kind), k -> new ArrayDeque<>());
        synchronized (d) {
            d.addLast(new double[] {actual, baseline, steps});
            if (d.size() > MAX_EVENTS) {
                d.pollFirst();
            }
        }
    }

    public Effect effect(String type, String kind, double announcedMagnitude) {
        Deque<double[]> d = seen.get(key(type, kind));
        if (d == null || d.isEmpty()) {
            double m = announcedMagnitude > 0 ? announcedMagnitude : 1;
            return new Effect(m, 0, false);
        }
        double actual = 0;
        double baseline = 0;
        double steps = 0;
        int n;
        synchronized (d) {
            for (double[] e : d) {
                actual += e[0];
                baseline += e[1];
                steps += e[2];
            }
            n = d.size();
        }
        double prior = steps / n;
        return new Effect((actual + prior) / (baseline + prior), n, true);
    }

    private static String key(String type, String kind) {
        return type + "\u0000" + kind;
    }
}
