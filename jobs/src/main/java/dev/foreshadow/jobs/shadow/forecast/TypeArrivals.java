package dev.foreshadow.jobs.shadow.forecast;

import dev.foreshadow.connectors.records.Arrivals;

/**
 * A minute's arrivals of one workflow type addressed to the Forecast key {@code forType}: its own
 * type, or a child type whose cascade needs its parents' arrivals.
 */
public record TypeArrivals(String forType, Arrivals arrivals) {

    public static String key(TypeArrivals a) {
        return a.forType();
    }

    /** Whether these are the key's own arrivals (else a parent's). */
    boolean own() {
        return forType.equals(arrivals.typeKey().encoded());
    }
}
