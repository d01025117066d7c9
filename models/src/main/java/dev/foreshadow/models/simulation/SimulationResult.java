package dev.foreshadow.models.simulation;

import java.util.List;

/**
 * What one policy did over the measured span.
 *
 * @param instanceHours instance time from request to release (boot and warm-up included), clipped
 *     to the measured span
 * @param taskSeconds the runtime of the measured runs' tasks
 * @param waitSeconds the time those tasks waited, ready, for capacity
 * @param waitSecondsByType the same per workflow type (by the trace's type index)
 * @param p50DelaySeconds median run delay: makespan beyond the unbounded cluster's
 * @param coldStarts tasks that waited for an instance that was not yet READY when they became ready
 * @param events simulator events processed (arrivals, task ends, instance transitions, ticks)
 */
public record SimulationResult(
        String policy,
        double instanceHours,
        double cost,
        long tasks,
        double taskSeconds,
        double waitSeconds,
        double[] waitSecondsByType,
        double p50DelaySeconds,
        double p99DelaySeconds,
        long coldStarts,
        long instancesRequested,
        long warmupFailures,
        long events,
        double wallSeconds,
        Timeline timeline,
        List<String> notes) {

    public SimulationResult {
        notes = List.copyOf(notes);
    }

    /** The share of task-seconds spent waiting for capacity: wait / (wait + runtime). */
    public double waitShare() {
        double total = waitSeconds + taskSeconds;
        return total > 0 ? waitSeconds / total : 0;
    }

    public double eventsPerSecond() {
        return wallSeconds > 0 ? events / wallSeconds : 0;
    }

    /**
     * Averages over consecutive intervals of {@code stepMs} from {@code startMs}: instances paid
     * for (requested, READY or draining), cores READY, cores busy and cores waiting in the queue.
     */
    public record Timeline(
            long startMs,
            long stepMs,
            float[] paidInstances,
            float[] readyCores,
            float[] busyCores,
            float[] queuedCores) {}
}
