package dev.foreshadow.models.simulation;

import java.util.Arrays;

/**
 * The simulator's future events: a binary min-heap on (time, insertion order) over primitive
 * arrays, so that tens of millions of events allocate nothing and equal times pop in the order they
 * were pushed (which makes a run deterministic).
 */
final class EventQueue {

    private long[] time = new long[1024];
    private long[] order = new long[1024];
    private long[] payload = new long[1024];
    private int size;
    private long pushed;

    void push(long t, long p) {
        if (size == time.length) {
            time = Arrays.copyOf(time, size * 2);
            order = Arrays.copyOf(order, size * 2);
            payload = Arrays.copyOf(payload, size * 2);
        }
        int i = size++;
        long o = pushed++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(t, o, time[parent], order[parent])) {
                break;
            }
            time[i] = time[parent];
            order[i] = order[parent];
            payload[i] = payload[parent];
            i = parent;
        }
        time[i] = t;
        order[i] = o;
        payload[i] = p;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The time of the next event; the queue must not be empty. */
    long peekTime() {
        return time[0];
    }

    /** Removes the next event and returns its payload. */
    long pop() {
        long result = payload[0];
        size--;
        if (size > 0) {
            long t = time[size];
            long o = order[size];
            long p = payload[size];
            int i = 0;
            int half = size >>> 1;
            while (i < half) {
                int child = 2 * i + 1;
                int right = child + 1;
                if (right < size && before(time[right], order[right], time[child], order[child])) {
                    child = right;
                }
                if (!before(time[child], order[child], t, o)) {
                    break;
                }
                time[i] = time[child];
                order[i] = order[child];
                payload[i] = payload[child];
                i = child;
            }
            time[i] = t;
            order[i] = o;
            payload[i] = p;
        }
        return result;
    }

    private static boolean before(long t1, long o1, long t2, long o2) {
        return t1 < t2 || (t1 == t2 && o1 < o2);
    }
}
