package dev.foreshadow.jobs.shadow.forecast;

/** A forecast waiting for its horizon to pass to be scored, a Flink POJO in keyed state. */
public final class PastForecast {

    /** Its origin (epoch ms). */
    public long originMs;

    /** The runs it expected per step. */
    public double[] mean = new double[0];

    public PastForecast() {}

    PastForecast(long originMs, double[] mean) {
        this.originMs = originMs;
        this.mean = mean.clone();
    }
}
