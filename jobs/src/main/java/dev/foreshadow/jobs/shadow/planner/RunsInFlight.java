package dev.foreshadow.jobs.shadow.planner;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The runs of one workflow type that started and have not finished yet, as counts per start minute
 * and number of actions ended (never one entry per run). A run start adds one to its minute at no
 * actions ended; each action the run ends moves it to one more ({@link #progressed}), and its
 * summary takes it off at the count it ended with ({@link #finished}). A move waits until the
 * plan's time has passed it ({@link #settle}: until then the run had not got that far, however
 * early the report came), so the counts a plan sees do not depend on how far the input ran ahead of
 * it, and reports arriving in any order cancel. A Flink POJO in keyed state; its size is bounded by
 * the runs' start minutes times their actions, and by the moves of one plan interval (moves of the
 * same minutes and counts are one entry). A count below zero (a move reported before the one before
 * it) adds nothing to the demand, and every start minute older than the retention is forgotten (a
 * run silent for the shadow's TTL is summed up as abandoned and taken off).
 */
public final class RunsInFlight {

    static final long MINUTE_MS = 60_000;

    /** The target of a move that ends the run. */
    static final int ENDED = -1;

    /** Start minutes (epoch ms, floored to the minute), ascending; with {@link #done}, the key. */
    public long[] startMs = new long[0];

    /** Per entry, the actions its runs have ended; ascending within a start minute. */
    public int[] done = new int[0];

    /** Per entry, runs (below zero while a move came before the one that brought runs there). */
    public int[] count = new int[0];

    /**
     * Moves not yet settled: each one's start minute, from, to, minute and runs; the moves are the
     * entries before the first of 0 runs (the arrays keep room for more).
     */
    public long[] moveStartMs = new long[0];

    public int[] moveFrom = new int[0];
    public int[] moveTo = new int[0];
    public long[] moveAtMs = new long[0];
    public int[] moveCount = new int[0];

    /** Not state: {@link #index}. */
    private transient Map<Move, Integer> moveIndex;

    public RunsInFlight() {}

    /** {@code runs} runs started at {@code startMs}. */
    void started(long startMs, int runs) {
        add(startMs, 0, runs);
    }

    /** The run that started at {@code startMs} had ended {@code to} actions at {@code atMs}. */
    void progressed(long startMs, int from, int to, long atMs) {
        move(startMs, from, to, atMs);
    }

    /** A run that started at {@code startMs} and ended {@code actions} actions ended at endMs. */
    void finished(long startMs, long endMs, int actions) {
        move(startMs, actions, ENDED, endMs);
    }

    private void move(long startMs, int from, int to, long atMs) {
        Move key = new Move(minute(startMs), from, to, minute(atMs));
        Map<Move, Integer> index = index();
        Integer known = index.get(key);
        if (known != null) {
            moveCount[known]++;
            return;
        }
        int n = index.size();
        if (n == moveCount.length) {
            // room for as many again: one copy per doubling, not one per move
            int room = Math.max(4, 2 * n);
            moveStartMs = Arrays.copyOf(moveStartMs, room);
            moveFrom = Arrays.copyOf(moveFrom, room);
            moveTo = Arrays.copyOf(moveTo, room);
            moveAtMs = Arrays.copyOf(moveAtMs, room);
            moveCount = Arrays.copyOf(moveCount, room);
        }
        moveStartMs[n] = key.start();
        moveFrom[n] = from;
        moveTo[n] = to;
        moveAtMs[n] = key.at();
        moveCount[n] = 1;
        index.put(key, n);
    }

    /** Each unsettled move's entry by what it moves, built from the arrays on first use. */
    private Map<Move, Integer> index() {
        if (moveIndex == null) {
            moveIndex = new HashMap<>();
            for (int i = 0; i < moveCount.length && moveCount[i] > 0; i++) {
                moveIndex.put(new Move(moveStartMs[i], moveFrom[i], moveTo[i], moveAtMs[i]), i);
            }
        }
        return moveIndex;
    }

    /** What a move moves: the runs of a start minute from one count to another in a minute. */
    private record Move(long start, int from, int to, long at) {}

    /** Applies the moves whose minute is before {@code t}; whether any were. */
    boolean settle(long t) {
        int kept = 0;
        int moves = 0;
        for (; moves < moveCount.length && moveCount[moves] > 0; moves++) {
            int i = moves;
            if (moveAtMs[i] < t) {
                add(moveStartMs[i], moveFrom[i], -moveCount[i]);
                if (moveTo[i] != ENDED) {
                    add(moveStartMs[i], moveTo[i], moveCount[i]);
                }
            } else {
                moveStartMs[kept] = moveStartMs[i];
                moveFrom[kept] = moveFrom[i];
                moveTo[kept] = moveTo[i];
                moveAtMs[kept] = moveAtMs[i];
                moveCount[kept++] = moveCount[i];
            }
        }
        if (kept == moves) {
            return false;
        }
        moveIndex = null;
        if (kept == 0) {
            moveStartMs = new long[0];
            moveFrom = new int[0];
            moveTo = new int[0];
            moveAtMs = new long[0];
            moveCount = new int[0];
        } else {
            Arrays.fill(moveCount, kept, moves, 0);
        }
        return true;
    }

    private static long minute(long t) {
        return Math.floorDiv(t, MINUTE_MS) * MINUTE_MS;
    }

    /**
     * Adds {@code delta} runs started at {@code atMs} with {@code ended} actions ended; an entry
     * whose count reaches 0 goes.
     */
    void add(long atMs, int ended, int delta) {
        long minute = minute(atMs);
        int at = 0;
        while (at < startMs.length
                && (startMs[at] < minute || startMs[at] == minute && done[at] < ended)) {
            at++;
        }
        if (at < startMs.length && startMs[at] == minute && done[at] == ended) {
            count[at] += delta;
            if (count[at] == 0) {
                remove(at);
            }
            return;
        }
        startMs = insert(startMs, at, minute);
        done = insert(done, at, ended);
        count = insert(count, at, delta);
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
            done = Arrays.copyOfRange(done, k, done.length);
            count = Arrays.copyOfRange(count, k, count.length);
        }
        return k > 0;
    }

    boolean isEmpty() {
        return startMs.length == 0 && (moveCount.length == 0 || moveCount[0] == 0);
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
        startMs = without(startMs, i);
        done = without(done, i);
        count = without(count, i);
    }

    private static long[] insert(long[] a, int at, long v) {
        long[] b = new long[a.length + 1];
        System.arraycopy(a, 0, b, 0, at);
        b[at] = v;
        System.arraycopy(a, at, b, at + 1, a.length - at);
        return b;
    }

    private static int[] insert(int[] a, int at, int v) {
        int[] b = new int[a.length + 1];
        System.arraycopy(a, 0, b, 0, at);
        b[at] = v;
        System.arraycopy(a, at, b, at + 1, a.length - at);
        return b;
    }

    private static long[] without(long[] a, int i) {
        long[] b = new long[a.length - 1];
        System.arraycopy(a, 0, b, 0, i);
        System.arraycopy(a, i + 1, b, i, a.length - i - 1);
        return b;
    }

    private static int[] without(int[] a, int i) {
        int[] b = new int[a.length - 1];
        System.arraycopy(a, 0, b, 0, i);
        System.arraycopy(a, i + 1, b, i, a.length - i - 1);
        return b;
    }
}
