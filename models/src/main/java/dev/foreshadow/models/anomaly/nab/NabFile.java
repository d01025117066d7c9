package dev.foreshadow.models.anomaly.nab;

import java.time.LocalDateTime;
import java.util.List;

/**
 * One labelled NAB data file: its rows in time order and its anomaly windows as inclusive row-index
 * ranges.
 *
 * @param name the path relative to {@code data/}, e.g. {@code
 *     realAWSCloudwatch/ec2_cpu_utilization_24ae8d.csv}
 * @param windows each {@code {first, last}} row index of a labelled window, in time order
 */
public record NabFile(
        String name, LocalDateTime[] timestamps, double[] values, List<int[]> windows) {

    public int rows() {
        return values.length;
    }
}
