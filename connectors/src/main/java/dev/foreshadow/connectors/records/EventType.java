package dev.foreshadow.connectors.records;

/** What happened in the workflow engine. */
public enum EventType {
    WORKFLOW_STARTED,
    ACTION_STARTED,
    ACTION_FINISHED,
    ACTION_FAILED,
    WORKFLOW_FINISHED;

    /** True for the two events that end an action and so carry its metrics. */
    public boolean endsAction() {
        return this == ACTION_FINISHED || this == ACTION_FAILED;
    }

    /** True for events that concern one action (and so need an action type and id). */
    public boolean concernsAction() {
        return this == ACTION_STARTED || endsAction();
    }
}
