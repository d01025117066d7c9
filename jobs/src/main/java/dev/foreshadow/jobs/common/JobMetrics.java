package dev.foreshadow.jobs.common;

import java.util.HashMap;
import java.util.Map;
import java.util.function.DoubleSupplier;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/**
 * The metrics the jobs register in their operators, by name, in one place. Flink scopes each by
 * job, task and operator; a labelled one is registered under a key/value group, which the
 * Prometheus reporter ({@code flink-conf/config.yaml}) exports as a label, e.g. {@code
 * flink_taskmanager_job_task_operator_eventsRejected{reason="metrics.cpuSeconds",
 * operator_name="split-dead-letters",...}}. Input and output: none; it only names and registers.
 *
 * <table>
 *   <caption>metrics</caption>
 *   <tr><th>name</th><th>labels</th><th>operator</th><th>what</th></tr>
 *   <tr><td>eventsIn</td><td></td><td>split-dead-letters, split-external-events (and
 *       AllocationJob's split-dead-letters)</td><td>records decoded from the input topic, valid or
 *       not</td></tr>
 *   <tr><td>eventsRejected</td><td>reason (the field named)</td><td>the same</td><td>records
 *       rejected to dead-letters</td></tr>
 *   <tr><td>runsInFlight</td><td></td><td>shadow</td><td>runs started and not yet ended or given
 *       up (gauge)</td></tr>
 *   <tr><td>anomalies</td><td>kind</td><td>rate-limit-alerts</td><td>every anomaly found, stored or
 *       alerted</td></tr>
 *   <tr><td>allocationCommandsIssued</td><td>reason</td><td>scale-up-on-spike</td><td>commands sent
 *       on allocation-commands</td></tr>
 *   <tr><td>commandsAccepted, commandsRejected</td><td>reason (rejected)</td><td>validate-commands
 *       (AllocationJob)</td><td>commands taken or dead-lettered</td></tr>
 *   <tr><td>instances</td><td>pool, state</td><td>reconciler (AllocationJob)</td><td>a pool's
 *       instances by lifecycle state, and its target, as last reconciled (gauge)</td></tr>
 *   <tr><td>forecastError</td><td>workflow_type</td><td>ForecastArrivals (ShadowJob)</td><td>its
 *       smoothed MASE once its forecasts are scored, through {@link #forecastError}</td></tr>
 * </table>
 */
public final class JobMetrics {

    public static final String EVENTS_IN = "eventsIn";
    public static final String EVENTS_REJECTED = "eventsRejected";
    public static final String RUNS_IN_FLIGHT = "runsInFlight";
    public static final String ANOMALIES = "anomalies";
    public static final String ALLOCATION_COMMANDS_ISSUED = "allocationCommandsIssued";
    public static final String COMMANDS_ACCEPTED = "commandsAccepted";
    public static final String COMMANDS_REJECTED = "commandsRejected";
    public static final String INSTANCES = "instances";
    public static final String FORECAST_ERROR = "forecastError";

    public static final String REASON = "reason";
    public static final String KIND = "kind";
    public static final String POOL = "pool";
    public static final String STATE = "state";
    public static final String WORKFLOW_TYPE = "workflow_type";

    /** Distinct values a label takes per operator instance; further ones count as "other". */
    static final int MAX_LABEL_VALUES = 32;

    static final String OTHER = "other";

    private JobMetrics() {}

    /**
     * The hook of the in-job forecaster: registers its recent error for a workflow type (e.g. the
     * MASE of its last horizon) as a gauge read from {@code error}.
     */
    public static Gauge<Double> forecastError(
            MetricGroup operator, String workflowType, DoubleSupplier error) {
        return operator.addGroup(WORKFLOW_TYPE, workflowType)
                .gauge(FORECAST_ERROR, error::getAsDouble);
    }

    /**
     * Counters of one name by the value of one label, registered on first use, at most {@link
     * #MAX_LABEL_VALUES} values (then {@code other}), so that no input can grow the metrics without
     * bound.
     */
    public static final class Labelled {

        private final MetricGroup group;
        private final String name;
        private final String label;
        private final Map<String, Counter> counters = new HashMap<>();

        public Labelled(MetricGroup group, String name, String label) {
            this.group = group;
            this.name = name;
            this.label = label;
        }

        /** Registers the counter of {@code value} now (so it reads 0 before its first count). */
        public Labelled register(String value) {
            counter(value);
            return this;
        }

        public void inc(String value) {
            counter(value).inc();
        }

        private Counter counter(String value) {
            Counter c = counters.get(value);
            if (c != null) {
                return c;
            }
            String v = counters.size() < MAX_LABEL_VALUES ? value : OTHER;
            return counters.computeIfAbsent(v, k -> group.addGroup(label, k).counter(name));
        }
    }
}
