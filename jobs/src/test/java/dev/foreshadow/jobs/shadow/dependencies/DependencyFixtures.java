package dev.foreshadow.jobs.shadow.dependencies;

import dev.foreshadow.connectors.records.RunSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Named runs for the dependency operators' harness tests. */
final class DependencyFixtures {

    static final Instant MONDAY_9AM = Instant.parse("2026-11-30T09:00:00Z");
    static final Duration HOLD = Duration.ofHours(2);
    static final Duration RETENTION = Duration.ofDays(30);

    private DependencyFixtures() {}

    /** A completed run of {@code type} that started {@code startMinute} minutes after 9:00. */
    static RunSummary run(String id, String type, int startMinute, String triggeredBy) {
        Instant start = MONDAY_9AM.plus(Duration.ofMinutes(startMinute));
        return new RunSummary(
                id,
                start,
                start.plusSeconds(90),
                "shop",
                type,
                triggeredBy,
                RunSummary.COMPLETED,
                3,
                0,
                2.0,
                1.0,
                0,
                0,
                0,
                0.01,
                "USD",
                List.of());
    }

    static long endOf(RunSummary r) {
        return r.endTime().toEpochMilli();
    }
}
