package dev.foreshadow.models.simulation;

import java.util.List;

/**
 * A capacity policy under test: the simulator calls it every {@link #periodMs()} and on the events
 * it may react to; it acts through the {@link Cluster} (a target size, or requests and releases of
 * single instances, and timers).
 */
interface Policy {

    /** The name in reports. */
    String name();

    /** How often {@link #tick} runs, 0 for never. */
    long periodMs();

    default void start(Cluster cluster, long now) {}

    default void tick(Cluster cluster, long now) {}

    default void onRunStarted(Cluster cluster, int run, int type, long now) {}

    default void onRunFinished(Cluster cluster, int run, int type, long now) {}

    /** A task of a run in flight ended (before {@link #onRunFinished} for its last one). */
    default void onTaskFinished(Cluster cluster, int run, long now) {}

    /** An instance became idle (its last task ended, or it became READY with nothing to run). */
    default void onInstanceIdle(Cluster cluster, int instance, long now) {}

    /** After an event, tasks are waiting for capacity. */
    default void onTasksWaiting(Cluster cluster, long now) {}

    /** A timer set with {@link Cluster#timer} fired. */
    default void onTimer(Cluster cluster, long payload, long now) {}

    /** What the policy reports about itself after a run (its decisions, its model choices). */
    default List<String> notes() {
        return List.of();
    }
}
