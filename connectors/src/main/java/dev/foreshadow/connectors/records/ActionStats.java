package dev.foreshadow.connectors.records;

import java.time.Instant;

/** One minute of one (workflow type, action type): one row of {@code action_stats}. */
public record ActionStats(
        Instant bucket,
        String tenant,
        String workflowType,
        String actionType,
        long count,
        long failures,
        double durationMeanMs,
        double durationP50Ms,
        double durationP95Ms,
        double cpuSeconds,
        double memoryGibSeconds,
        long networkInBytes,
        long networkOutBytes,
        long bytesRead,
        long bytesWritten,
        double cost) {}
