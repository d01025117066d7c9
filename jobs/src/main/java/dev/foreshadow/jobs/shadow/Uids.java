package dev.foreshadow.jobs.shadow;

/**
 * Operator uids (and names) of ShadowJob. Savepoints map state to operators by uid: never change one of these for an
 * operator whose state must survive an upgrade.
 */
public final class Uids {
    public static final String WORKFLOW_EVENTS_SOURCE = "workflow-events-source";
    public static final String SPLIT_DEAD_LETTERS = "split-dead-letters";
    public static final String SHADOW = "shadow";
    public static final String ACTION_STATS_WINDOW = "action-stats-window";
    public static final String ARRIVALS_WINDOW = "arrivals-window";
    public static final String LATE_SAMPLES = "late-samples-to-dead-letters";
    public static final String ACTION_SAMPLES_SINK = "action-samples-sink";
    public static final String WORKFLOW_RUNS_SINK = "workflow-runs-sink";
    public static final String ACTION_STATS_SINK = "action-stats-sink";
    public static final String ARRIVALS_SINK = "arrivals-sink";
    public static final String DEAD_LETTERS_SINK = "dead-letters-sink";

    private Uids() {}
}
