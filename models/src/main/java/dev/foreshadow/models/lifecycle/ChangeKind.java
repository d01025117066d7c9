package dev.foreshadow.models.lifecycle;

/** What a change of a pool is, with the name it has in {@code allocation_events}. */
public enum ChangeKind {
    /** A command arrived: a floor now counts, or a dry run was recorded. */
    COMMAND("command"),
    /** The pool's target (instances it should have) changed. */
    TARGET("target"),
    /** An instance moved from one lifecycle state to the next. */
    TRANSITION("transition"),
    /** Instances were asked of the manager. */
    REQUEST("request"),
    /** Headroom for capacity expected soon was prepared. */
    PREPARE("prepare"),
    /** A floor ended. */
    EXPIRE("expire"),
    /** A floor's readyBy passed: met or missed. */
    READY_BY("ready-by"),
    /** The pool could not be read, or could be again. */
    OBSERVE("observe"),
    /** A call to the manager failed after its retries. */
    CALL_FAILED("call-failed"),
    /** The pool left the configuration. */
    REMOVE("remove");

    private final String wireName;

    ChangeKind(String wireName) {
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
