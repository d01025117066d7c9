package dev.foreshadow.jobs.operators;

import dev.foreshadow.connectors.records.RunSummary;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * What the Shadow operator knows of one running workflow: its identity and what its actions have
 * consumed so far. A Flink POJO (public no-argument constructor, public fields), so it checkpoints
 * with Flink's own serializer, which also lets fields be added or removed across versions.
 */
public final class RunState {
    public String tenant;
    public String runId;
    public String workflowType;
    public String triggeredBy;

    /** Event time of WORKFLOW_STARTED in ms, or Long.MIN_VALUE while it has not been seen. */
    public long startMillis = Long.MIN_VALUE;

    /** Event time of WORKFLOW_FINISHED in ms, or Long.MIN_VALUE while the run is going. */
    public long finishedMillis = Long.MIN_VALUE;

    /** Latest event time seen for the run, in ms. */
    public long lastEventMillis = Long.MIN_VALUE;

    /**
     * The one event-time timer registered for the run (grace after finishing, or the TTL), or
     * Long.MIN_VALUE.
     */
    public long timerMillis = Long.MIN_VALUE;

    public int actions;
    public int failedActions;
    public double cpuSeconds;
    public double memoryGibSeconds;
    public long networkBytes;
    public long bytesRead;
    public long bytesWritten;
    public double cost;
    public String currency;

    /** Certifications required by any action of the run, sorted and comma-separated. */
    public String certifications = "";

    public RunState() {}

    public boolean started() {
        return startMillis != Long.MIN_VALUE;
    }

    public boolean finished() {
        return finishedMillis != Long.MIN_VALUE;
    }

    public void addCertifications(List<String> more) {
        if (more.isEmpty()) {
            return;
        }
        TreeSet<String> all = new TreeSet<>(certificationList());
        all.addAll(more);
        certifications = String.join(",", all);
    }

    public List<String> certificationList() {
        return certifications.isEmpty() ? List.of() : Arrays.asList(certifications.split(","));
    }

    /**
     * The run's summary; {@code progress} as {@link RunSummary#progress} (null or empty: not
     * known).
     */
    public RunSummary summary(String status, long endMillis, long[] progress) {
        List<Long> points = new java.util.ArrayList<>();
        if (progress != null) {
            for (long p : progress) {
                points.add(p);
            }
        }
        return new RunSummary(
                runId,
                started() ? java.time.Instant.ofEpochMilli(startMillis) : null,
                java.time.Instant.ofEpochMilli(endMillis),
                tenant,
                workflowType,
                triggeredBy,
                status,
                actions,
                failedActions,
                cpuSeconds,
                memoryGibSeconds,
                networkBytes,
                bytesRead,
                bytesWritten,
                cost,
                currency,
                certificationList(),
                points);
    }
}
