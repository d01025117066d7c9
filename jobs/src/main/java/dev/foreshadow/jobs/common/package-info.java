/**
 * What every foreshadow job shares: loading settings ({@link ConfigLoader}, {@link JobOptions}),
 * event time ({@link Watermarks}), splitting dead letters from decoded input ({@link
 * SplitDeadLetters}), the local MiniCluster ({@link LocalFlink}), and the versioned serializers of
 * keyed state ({@link BytesSerializer}). Nothing here knows a particular job.
 */
package dev.foreshadow.jobs.common;
