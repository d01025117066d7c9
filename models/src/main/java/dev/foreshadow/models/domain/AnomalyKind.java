package dev.foreshadow.models.domain;

/** What an anomaly is, with the name it has on the wire and in the {@code anomalies} table. */
public enum AnomalyKind {
    /** One metric of one action scored high against its (workflow type, action type) baseline. */
    METRIC("metric"),
    /** Several high scores of one metric within a window (CEP). */
    SUSTAINED_SPIKE("sustained-spike"),
    /** Several failed attempts in one run within a window (CEP). */
    RETRY_STORM("retry-storm"),
    /** An action type started without one that preceded it in every earlier run. */
    UNEXPECTED_ORDER("unexpected-order"),
    /** A run cost more than its type's p99. */
    COST_OVERRUN("cost-overrun"),
    /** An action still running long after its type's p99 duration. */
    STUCK_ACTION("stuck-action");

    private final String wireName;

    AnomalyKind(String wireName) {
        this.wireName = wireName;
    }

    /** The name on the wire ({@code Anomaly.kind}). */
    public String wireName() {
        return wireName;
    }

    /** The kind of a wire name, or an error naming it. */
    public static AnomalyKind ofWireName(String name) {
        for (AnomalyKind k : values()) {
            if (k.wireName.equals(name)) {
                return k;
            }
        }
        throw new IllegalArgumentException("no anomaly kind " + name);
    }

    @Override
    public String toString() {
        return wireName;
    }
}
