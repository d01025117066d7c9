package dev.foreshadow.jobs.common;

import dev.foreshadow.connectors.json.Decoded;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Event time of decoded input: bounded out-of-orderness from the values' own times, with idleness
 * so that a quiet partition does not hold the watermark back. A dead letter has no event time and
 * never moves the watermark.
 */
public final class Watermarks {

    private Watermarks() {}

    public static <T> WatermarkStrategy<Decoded<T>> of(JobSettings job) {
        return WatermarkStrategy.<Decoded<T>>forBoundedOutOfOrderness(job.outOfOrderness())
                .withTimestampAssigner(
                        (d, kafkaTime) ->
                                d.timestamp() == null
                                        ? Long.MIN_VALUE
                                        : d.timestamp().toEpochMilli())
                .withIdleness(job.idleness());
    }
}
