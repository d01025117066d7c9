package dev.foreshadow.jobs.demo;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * The demo's accelerated clock: trace time that runs {@code speed} times faster than the wall from
 * the moment the replay starts ({@link #start()}); before, it stands at the trace's first instant.
 * It stands still while paused (the demo trains its models half-way). The simulated pools run on
 * it, so boot and warm-up take trace time, as the commands they answer.
 */
final class ReplayClock implements InstantSource {

    private static final long NOT_YET = Long.MIN_VALUE;

    private final Instant traceStart;
    private final double speed;

    /** When trace time began to run, shifted by every pause so far; NOT_YET before the start. */
    private long wallStartNanos = NOT_YET;

    /** When the current pause began, or NOT_YET while the clock runs. */
    private long pausedAtNanos = NOT_YET;

    ReplayClock(Instant traceStart, double speed) {
        this.traceStart = traceStart;
        this.speed = speed;
    }

    /** Trace time starts to run now, unless it has started already. */
    synchronized void start() {
        if (wallStartNanos == NOT_YET) {
            wallStartNanos = System.nanoTime();
        }
    }

    /** Trace time stands still until {@link #resume()}. */
    synchronized void pause() {
        if (pausedAtNanos == NOT_YET) {
            pausedAtNanos = System.nanoTime();
        }
    }

    /** Trace time runs again from where it stood. */
    synchronized void resume() {
        if (pausedAtNanos != NOT_YET) {
            wallStartNanos += System.nanoTime() - pausedAtNanos;
            pausedAtNanos = NOT_YET;
        }
    }

    /** How long after the replay started {@code at} is due, in wall nanoseconds. */
    long dueNanos(Instant at) {
        return (long) (Duration.between(traceStart, at).toNanos() / speed);
    }

    /** Wall nanoseconds the clock has run since the replay started (pauses left out). */
    synchronized long elapsedNanos() {
        return (pausedAtNanos == NOT_YET ? System.nanoTime() : pausedAtNanos) - wallStartNanos;
    }

    @Override
    public synchronized Instant instant() {
        return wallStartNanos == NOT_YET
                ? traceStart
                : traceStart.plusNanos((long) (elapsedNanos() * speed));
    }
}
