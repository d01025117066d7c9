package dev.foreshadow.models.simulation;

import dev.foreshadow.models.demand.ResourceProfile;
import dev.foreshadow.models.workload.WfTask;
import dev.foreshadow.models.workload.WfWorkflow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One workflow instance compiled for the simulator: its DAG in primitive arrays (children in
 * compressed rows), each task's runtime, cores and memory fitted to one instance shape, and its
 * schedule on an unbounded cluster (every task starts when its last parent ends), which gives the
 * run's shortest makespan and the demand it puts on a pool over time.
 */
final class Template {

    final String workflow;
    final String file;
    final int size;
    final long[] runtimeMs;
    final int[] cores;
    final int[] memoryMiB;

    /** Bytes each task read and wrote (what it moves over the network). */
    final long[] bytes;

    final int[] parentCount;
    final int[] childStart;
    final int[] children;
    final int[] roots;

    /** Start offset of each task on an unbounded cluster. */
    final long[] unboundedStartMs;

    /** The makespan on an unbounded cluster: the length of the critical path. */
    final long criticalPathMs;

    Template(WfWorkflow w, int instanceCores, int instanceMemoryMiB) {
        this.workflow = w.name();
        this.file = w.file();
        this.size = w.tasks().size();
        runtimeMs = new long[size];
        cores = new int[size];
        memoryMiB = new int[size];
        bytes = new long[size];
        parentCount = new int[size];
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < size; i++) {
            index.put(w.tasks().get(i).id(), i);
        }
        int[] childCount = new int[size];
        int edges = 0;
        for (int i = 0; i < size; i++) {
            WfTask t = w.tasks().get(i);
            runtimeMs[i] = Math.max(1, Math.round(t.runtimeSeconds() * 1000));
            cores[i] = Math.min(instanceCores, t.cores());
            bytes[i] = t.readBytes() + t.writtenBytes();
            memoryMiB[i] =
                    (int) Math.min(instanceMemoryMiB, (t.memoryBytes() + (1 << 20) - 1) >> 20);
            for (String p : t.parents()) {
                Integer pi = index.get(p);
                if (pi != null) {
                    parentCount[i]++;
                    childCount[pi]++;
                    edges++;
                }
            }
        }
        childStart = new int[size + 1];
        for (int i = 0; i < size; i++) {
            childStart[i + 1] = childStart[i] + childCount[i];
        }
        children = new int[edges];
        int[] fill = childStart.clone();
        int rootCount = 0;
        for (int i = 0; i < size; i++) {
            for (String p : w.tasks().get(i).parents()) {
                Integer pi = index.get(p);
                if (pi != null) {
                    children[fill[pi]++] = i;
                }
            }
            if (parentCount[i] == 0) {
                rootCount++;
            }
        }
        roots = new int[rootCount];
        for (int i = 0, r = 0; i < size; i++) {
            if (parentCount[i] == 0) {
                roots[r++] = i;
            }
        }
        // tasks are in topological order (WfFormat), so one pass gives the unbounded schedule
        unboundedStartMs = new long[size];
        long makespan = 0;
        for (int i = 0; i < size; i++) {
            long end = unboundedStartMs[i] + runtimeMs[i];
            makespan = Math.max(makespan, end);
            for (int c = childStart[i]; c < childStart[i + 1]; c++) {
                int child = children[c];
                unboundedStartMs[child] = Math.max(unboundedStartMs[child], end);
            }
        }
        criticalPathMs = makespan;
    }

    /** The run's actions as the shadow would record them, on the unbounded schedule. */
    List<ResourceProfile.Action> actions() {
        List<ResourceProfile.Action> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(
                    new ResourceProfile.Action(
                            unboundedStartMs[i],
                            runtimeMs[i],
                            cores[i],
                            (long) memoryMiB[i] << 20,
                            bytes[i]));
        }
        return out;
    }
}
