package dev.foreshadow.models.domain;

import java.io.Serializable;

/** One metric of one action type: what a sustained spike is counted per. */
public record MetricKey(WorkloadKey workload, Metric metric) implements Serializable {

    public MetricKey {
        if (workload == null || workload.actionType() == null || metric == null) {
            throw new IllegalArgumentException("a metric key needs an action type and a metric");
        }
    }

    /** The one string encoding (the Flink key): the workload key's, then NUL and the metric. */
    public String encoded() {
        return workload.encoded() + Ids.SEPARATOR + metric.wireName();
    }
}
