package dev.foreshadow.models.workload;

import java.util.List;

/**
 * One task of a WfCommons workflow instance, with what it used when it really ran.
 *
 * @param actionType the program the task ran (the task id without its number when none is given)
 * @param parents the ids of the tasks whose outputs it waits for
 * @param coreCount the cores the task was given, or 0 when the instance does not say
 * @param readBytes bytes read, or the size of its input files when the instance does not say
 * @param writtenBytes bytes written, or the size of its output files when the instance does not say
 */
public record WfTask(
        String id,
        String actionType,
        List<String> parents,
        double runtimeSeconds,
        double avgCpuPercent,
        int coreCount,
        long memoryBytes,
        long readBytes,
        long writtenBytes,
        long inputBytes,
        long outputBytes) {

    public WfTask {
        parents = List.copyOf(parents);
    }

    /**
     * The whole cores the task occupies: its core count when given, else its average CPU use
     * rounded (at least one).
     */
    public int cores() {
        return coreCount > 0 ? coreCount : (int) Math.max(1, Math.round(avgCpuPercent / 100));
    }
}
