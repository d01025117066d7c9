package dev.foreshadow.jobs.shadow.planner;

import java.util.Arrays;

/**
 * The runs of one workflow type that started and have not finished yet, as counts per start minute
 * (never one entry per run): a run start adds one to its minute, and the summary of a run that had
 * started takes one off once the plan's time has passed the run's end ({@link #settle}; until then
 * it was still running, however early its summary came), so a start and its finish arriving in
 * either order cancel. A Flink POJO in keyed state; its size is bounded by the minutes a run of the
 * type lasts (a run silent for the shadow's TTL is summed up as abandoned and taken off). A run
 * that started before this count did (an upgrade from a version without it) leaves a negative count
 * at its start minute when it ends: such a minute adds nothing to the demand, and every minute
 * older than the retention is forgotten.
 */
public final class RunsInFlight {

    static final long MINUTE_MS = 60_000;

    /** Start minutes (epoch ms, floored to the minute), ascending. */
    public long[] startMs = new long[0];

    /**
     * Per start minute, runs started and not finished (below zero while a finish came before its
     * start).
     */
    public int[] count = new int[0];

    /** Finishes not yet settled: each one's start minute, end minute and runs, in arrival order. */
    public long[] finishStartMs = new long[0];

    public long[] finishEndMs = new long[0];
    public int[] finishCount = new int[0];

    public RunsInFlight() {}

    /** A run that started at {@code startMs} ended at {@code endMs}. */
    void finished(long startMs, long endMs) {
        long start = minute(startMs);
        long end = minute(endMs);
        for (int i = 0; i < finishCount.length; i++) {
            if (finishStartMs[i] == start && finishEndMs[i] == end) {
                finishCount[i]++;
                return;
            }
        }
        int n = finishCount.length;
        finishStartMs = Arrays.copyOf(finishStartMs, n + 1);
        finishEndMs = Arrays.copyOf(finishEndMs, n + 1);
        finishCount = Arrays.copyOf(finishCount, n + 1);
        finishStartMs[n] = start;
        finishEndMs[n] = end;
        finishCount[n] = 1;
    }

    /** Takes off the runs whose end minute is before {@code t}; whether any were. */
    boolean settle(long t) {
        int kept = 0;
        for (int i = 0; i < finishCount.length; i++) {
            if (finishEndMs[i] < t) {
                add(finishStartMs[i], -finishCount[i]);
            } else {
                finishStartMs[kept] = finishStartMs[i];
                finishEndMs[kept] = finishEndMs[i];
                finishCount[kept++] = finishCount[i];
            }
        }
        if (kept == finishCount.length) {
            return false;
        }
        finishStartMs = Arrays.copyOf(finishStartMs, kept);
        finishEndMs = Arrays.copyOf(finishEndMs, kept);
        finishCount = Arrays.copyOf(finishCount, kept);
        return true;
    }

    private static long minute(long t) {
        return Math.floorDiv(t, MINUTE_MS) * MINUTE_MS;
    }

    /** Adds {@code delta} runs started at {@code atMs}; a minute whose count reaches 0 goes. */
    void add(long atMs, int delta) {
        long minute = minute(atMs);
        int i = Arrays.binarySearch(startMs, minute);
        if (i >= 0) {
            count[i] += delta;
            if (count[i] == 0) {
                remove(i);
            }
            return;
        }
        int at = -i - 1;
        long[] s = new long[startMs.length + 1];
        int[] c = new int[count.length + 1];
        System.arraycopy(startMs, 0, s, 0, at);
        System.arraycopy(count, 0, c, 0, at);
        s[at] = minute;
        c[at] = delta;
        System.arraycopy(startMs, at, s, at + 1, startMs.length - at);
        System.arraycopy(count, at, c, at + 1, count.length - at);
        startMs = s;
        count = c;
    }

    /**
     * Forgets the minutes before {@code t} (runs no summary will come for any more); whether any
     * went.
     */
    boolean forgetBefore(long t) {
        int k = 0;
        while (k < startMs.length && startMs[k] < t) {
            k++;
        }
        if (k > 0) {
            startMs = Arrays.copyOfRange(startMs, k, startMs.length);
            count = Arrays.copyOfRange(count, k, count.length);
        }
        return k > 0;
    }

    boolean isEmpty() {
        return startMs.length == 0 && finishCount.length == 0;
    }

    /** Runs started before {@code t} and still running. */
    int runningAt(long t) {
        int n = 0;
        for (int i = 0; i < startMs.length && startMs[i] < t; i++) {
            n += Math.max(0, count[i]);
        }
        return n;
    }

    private void remove(int i) {
        long[] s = new long[startMs.length - 1];
        int[] c = new int[count.length - 1];
        System.arraycopy(startMs, 0, s, 0, i);
        System.arraycopy(count, 0, c, 0, i);
        System.arraycopy(startMs, i + 1, s, i, startMs.length - i - 1);
        System.arraycopy(count, i + 1, c, i, count.length - i - 1);
        startMs = s;
        count = c;
    }
}
