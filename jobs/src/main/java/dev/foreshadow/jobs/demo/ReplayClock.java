package dev.foreshadow.jobs.demo;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * The demo's accelerated clock: trace time that runs {@code speed} times faster than the wall from
 * the moment the replay starts ({@link #start()}); before, it stands at the trace's first instant.
 * The simulated pools run on it, so boot and warm-up take trace time, as the commands they answer.
 */
final class ReplayClock implements InstantSource {

    private final Instant traceStart;
    private final double speed;
    private volatile long wallStartNanos = Long.MIN_VALUE;

    ReplayClock(Instant traceStart, double speed) {
        this.traceStart = traceStart;
        this.speed = speed;
    }

    /** Trace time starts to run now. */
    void start() {
        wallStartNanos = System.nanoTime();
    }

    /** How long after the replay started {@code at} is due, in wall nanoseconds. */
    long dueNanos(Instant at) {
        return (long) (Duration.between(traceStart, at).toNanos() / speed);
    }

    /** Wall nanoseconds since the replay started. */
    long elapsedNanos() {
        return System.nanoTime() - wallStartNanos;
    }

    @Override
    public Instant instant() {
        long start = wallStartNanos;
        return start == Long.MIN_VALUE
                ? traceStart
                : traceStart.plusNanos((long) ((System.nanoTime() - start) * speed));
    }
}
