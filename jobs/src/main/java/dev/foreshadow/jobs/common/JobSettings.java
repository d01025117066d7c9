package dev.foreshadow.jobs.common;

import dev.foreshadow.connectors.json.InputLimits;
import java.io.Serializable;
import java.time.Duration;

/**
 * The settings every job shares (see {@link JobOptions}).
 *
 * @param maxParallelism key groups, fixed for the life of the job's savepoints
 * @param outOfOrderness how late an event may be and still count in event-time windows
 * @param idleness how long a silent partition holds the watermark back
 * @param maxClockSkew how far in the future an event may be
 * @param input how large, deep and plausible an input record may be
 */
public record JobSettings(
        int maxParallelism,
        Duration outOfOrderness,
        Duration idleness,
        Duration maxClockSkew,
        InputLimits input)
        implements Serializable {}
