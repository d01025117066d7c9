package dev.foreshadow.models.workload;

import java.util.List;

/**
 * One WfCommons workflow instance (a real execution): the workflow it is an instance of, the file
 * it came from, and its tasks in an order where every parent comes before its children.
 *
 * @param name the workflow, from the file name: {@code srasearch-chameleon-10a-001.json} is an
 *     instance of {@code srasearch}
 */
public record WfWorkflow(String name, String file, List<WfTask> tasks) {

    public WfWorkflow {
        tasks = List.copyOf(tasks);
    }
}
