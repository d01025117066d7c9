package dev.foreshadow.models.domain;

/** Why capacity was asked for, with the name it has on the wire ({@code AllocationCommand}). */
public enum AllocationReason {
    /** Forecast arrivals of the pool's workflow types. */
    FORECAST("forecast"),
    /** Runs that other workflow types are expected to trigger (A starts B). */
    DEPENDENCY("dependency"),
    /** An announced external event (a campaign, a traffic surge). */
    EXTERNAL_EVENT("external-event"),
    /** A sustained resource spike seen now. */
    ANOMALY("anomaly"),
    /** The reactive rule on current load (the floor under every forecast, or its fallback). */
    REACTIVE("reactive");

    private final String wireName;

    AllocationReason(String wireName) {
        this.wireName = wireName;
    }

    /** The name on the wire ({@code AllocationCommand.reason}). */
    public String wireName() {
        return wireName;
    }

    /** The reason of a wire name, or an error naming it. */
    public static AllocationReason ofWireName(String name) {
        for (AllocationReason r : values()) {
            if (r.wireName.equals(name)) {
                return r;
            }
        }
        throw new IllegalArgumentException("no allocation reason " + name);
    }

    @Override
    public String toString() {
        return wireName;
    }
}
