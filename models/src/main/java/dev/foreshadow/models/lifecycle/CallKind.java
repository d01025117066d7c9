package dev.foreshadow.models.lifecycle;

/** A call the reconciler asks of a pool's resource manager. */
public enum CallKind {
    /** Ask what the pool has, then request what is missing for the target (availability first). */
    PROVISION,
    /** Run a warm-up's validation: readiness probe and smoke check, within the deadline. */
    VALIDATE,
    /** Mark a warming instance failed (its deadline passed). */
    FAIL,
    /** Put a validated instance in service. */
    PUT_IN_SERVICE,
    /** Stop giving an instance new work. */
    DRAIN,
    /** Give an instance back. */
    RELEASE,
    /** Prepare headroom for capacity expected soon. */
    PREPARE
}
