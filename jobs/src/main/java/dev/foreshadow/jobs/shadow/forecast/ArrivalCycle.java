package dev.foreshadow.jobs.shadow.forecast;

/**
 * One workflow type's runs summed per slot of the cycle since it was first seen, a Flink POJO in
 * keyed state: step {@code k} (time / step) falls in slot {@code k mod slots}.
 */
public final class ArrivalCycle {

    /** The first and the latest step (time / step) with runs. */
    public long firstStep;

    public long lastStep;

    /** The step of the last shape published, or Long.MIN_VALUE before the first. */
    public long publishedStep = Long.MIN_VALUE;

    /** Runs per slot, summed over the cycles seen. */
    public double[] sums = new double[0];

    public ArrivalCycle() {}

    ArrivalCycle(long step, int slots) {
        firstStep = step;
        lastStep = step;
        sums = new double[slots];
    }

    void add(long step, double runs) {
        if (step < firstStep) {
            return; // before the first step counted: its slot's steps are not all counted
        }
        lastStep = Math.max(lastStep, step);
        sums[(int) Math.floorMod(step, (long) sums.length)] += runs;
    }

    /** Steps from the first to the latest, both counted. */
    long steps() {
        return lastStep - firstStep + 1;
    }

    /** The mean runs per step of each slot over the steps from the first to the latest. */
    double[] perSlot() {
        int slots = sums.length;
        double[] out = new double[slots];
        long full = steps() / slots;
        long extra = steps() % slots; // the slots of the first `extra` steps got one more
        for (int j = 0; j < slots; j++) {
            long afterFirst = Math.floorMod(j - firstStep, (long) slots);
            long seen = full + (afterFirst < extra ? 1 : 0);
            out[j] = seen == 0 ? 0 : sums[j] / seen;
        }
        return out;
    }
}
