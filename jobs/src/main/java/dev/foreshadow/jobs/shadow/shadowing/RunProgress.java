package dev.foreshadow.jobs.shadow.shadowing;

import dev.foreshadow.models.domain.WorkloadKey;

/**
 * A run in flight got further, as the {@link Shadow} reports it on {@link Shadow#RUN_PROGRESS}: at
 * {@code atMs} the run that started at {@code startMs} went from {@code fromDone} actions ended to
 * {@code toDone} (one more, or several at once when its start event came after some of its actions
 * had ended). The planner places the run in its type's profile by it.
 */
public record RunProgress(
        String tenant, String workflowType, long startMs, int fromDone, int toDone, long atMs) {

    /** The workflow type of the run. */
    public WorkloadKey typeKey() {
        return WorkloadKey.ofType(tenant, workflowType);
    }
}
