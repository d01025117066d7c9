package dev.foreshadow.jobs.allocation;

import dev.foreshadow.connectors.records.AllocationCommand;
import dev.foreshadow.models.lifecycle.PoolObservation;

/** What the reconciler of a pool takes: a command for it, or an observation of it. */
public record ReconcilerInput(AllocationCommand command, PoolObservation observation) {

    static ReconcilerInput of(AllocationCommand command) {
        return new ReconcilerInput(command, null);
    }

    static ReconcilerInput of(PoolObservation observation) {
        return new ReconcilerInput(null, observation);
    }

    /** The pool it concerns: the reconciler's key. */
    public String pool() {
        return command != null ? command.pool() : observation.pool();
    }
}
