package dev.foreshadow.models.lifecycle;

/** The rule that decided a change of a pool, with the name it has in {@code allocation_events}. */
public enum Rule {
    /** A command's floor is the largest in force. */
    FLOOR("floor"),
    /** The pool's minimum, where no floor asks for more. */
    MINIMUM("minimum"),
    /** A floor above the pool's maximum, clamped to it. */
    MAXIMUM("maximum"),
    /** A dry-run command: recorded, never applied. */
    DRY_RUN("dry-run"),
    /** A floor ended; capacity above the rest is given back after the cooldown. */
    EXPIRY("expiry"),
    /** Capacity above the target drains, after the cooldown, instances without work first. */
    SCALE_IN("scale-in"),
    /** An instance failed (its warm-up or later) and another is asked for. */
    REPLACE_FAILED("replace-failed"),
    /** The warm-up's readiness probe and smoke check decided. */
    VALIDATION("validation"),
    /** A validated instance is put in service. */
    PUT_IN_SERVICE("put-in-service"),
    /** A drained instance without work left is released. */
    DRAINED("drained"),
    /** A failed instance is released. */
    RELEASE_FAILED("release-failed"),
    /** The manager reported it (an instance booted, vanished, or the pool could not be read). */
    OBSERVED("observed"),
    /** Was the floor's capacity ready by its readyBy? */
    READY_BY("ready-by"),
    /** Capacity expected soon is prepared ahead (placeholder pods, a warm pool). */
    HEADROOM("headroom"),
    /** The pool left the configuration: its state is cleared. */
    POOL_REMOVED("pool-removed");

    private final String wireName;

    Rule(String wireName) {
        this.wireName = wireName;
    }

    /** The name in {@code allocation_events} and on {@code allocation-status}. */
    public String wireName() {
        return wireName;
    }

    @Override
    public String toString() {
        return wireName;
    }
}
