package dev.foreshadow.connectors.otlp;

import static org.apache.flink.configuration.ConfigOptions.key;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * The span attributes that carry workflow events ({@code otlp.*}), for spans that the OpenTelemetry
 * Collector's Kafka exporter writes to {@code workflow-events}. Semantic conventions name the
 * network sizes and the TLS version; workflows have none, so the rest have defaults of their own.
 */
public final class OtlpOptions {

    public static final ConfigOption<String> WORKFLOW_TYPE =
            option(
                    "workflow-type",
                    SpanMapping.DEFAULT.workflowType(),
                    "Span (or resource) attribute naming the workflow type; spans without it are not workflow spans and are skipped.");
    public static final ConfigOption<String> RUN_ID =
            option(
                    "run-id",
                    SpanMapping.DEFAULT.runId(),
                    "Attribute holding the run id; the trace id when absent.");
    public static final ConfigOption<String> ACTION_TYPE =
            option(
                    "action-type",
                    SpanMapping.DEFAULT.actionType(),
                    "Attribute holding an action span's action type; the span name when absent.");
    public static final ConfigOption<String> TENANT =
            option(
                    "tenant",
                    SpanMapping.DEFAULT.tenant(),
                    "Attribute holding the tenant; `default` when absent.");
    public static final ConfigOption<String> ATTEMPT =
            option(
                    "attempt",
                    SpanMapping.DEFAULT.attempt(),
                    "Attribute holding an action's attempt (1 when absent).");
    public static final ConfigOption<String> TRIGGERED_BY =
            option(
                    "triggered-by",
                    SpanMapping.DEFAULT.triggeredBy(),
                    "Attribute holding the run that started this one; the trace of the root span's first link when absent.");
    public static final ConfigOption<String> CPU_SECONDS =
            option(
                    "cpu-seconds",
                    SpanMapping.DEFAULT.cpuSeconds(),
                    "Attribute holding an action's CPU seconds.");
    public static final ConfigOption<String> PEAK_CORES =
            option(
                    "peak-cores",
                    SpanMapping.DEFAULT.peakCores(),
                    "Attribute holding an action's peak cores.");
    public static final ConfigOption<String> PEAK_MEMORY_BYTES =
            option(
                    "peak-memory-bytes",
                    SpanMapping.DEFAULT.peakMemoryBytes(),
                    "Attribute holding an action's peak memory in bytes.");
    public static final ConfigOption<String> NETWORK_IN_BYTES =
            option(
                    "network-in-bytes",
                    SpanMapping.DEFAULT.networkInBytes(),
                    "Attribute holding the bytes an action received.");
    public static final ConfigOption<String> NETWORK_OUT_BYTES =
            option(
                    "network-out-bytes",
                    SpanMapping.DEFAULT.networkOutBytes(),
                    "Attribute holding the bytes an action sent.");
    public static final ConfigOption<String> BYTES_READ =
            option(
                    "bytes-read",
                    SpanMapping.DEFAULT.bytesRead(),
                    "Attribute holding the bytes an action read from storage.");
    public static final ConfigOption<String> BYTES_WRITTEN =
            option(
                    "bytes-written",
                    SpanMapping.DEFAULT.bytesWritten(),
                    "Attribute holding the bytes an action wrote to storage.");
    public static final ConfigOption<String> ENCRYPTION =
            option(
                    "encryption",
                    SpanMapping.DEFAULT.encryption(),
                    "Attribute holding the TLS version an action used (recorded as TLS<version>).");
    public static final ConfigOption<String> CERTIFICATIONS =
            option(
                    "certifications",
                    SpanMapping.DEFAULT.certifications(),
                    "Attribute (a string array) holding the certifications an action requires.");
    public static final ConfigOption<String> COST_AMOUNT =
            option(
                    "cost-amount",
                    SpanMapping.DEFAULT.costAmount(),
                    "Attribute holding an action's own cost.");
    public static final ConfigOption<String> COST_CURRENCY =
            option(
                    "cost-currency",
                    SpanMapping.DEFAULT.costCurrency(),
                    "Attribute holding that cost's ISO-4217 currency (USD when absent).");

    private OtlpOptions() {}

    public static SpanMapping mapping(Configuration c) {
        return new SpanMapping(
                c.get(WORKFLOW_TYPE),
                c.get(RUN_ID),
                c.get(ACTION_TYPE),
                c.get(TENANT),
                c.get(ATTEMPT),
                c.get(TRIGGERED_BY),
                c.get(CPU_SECONDS),
                c.get(PEAK_CORES),
                c.get(PEAK_MEMORY_BYTES),
                c.get(NETWORK_IN_BYTES),
                c.get(NETWORK_OUT_BYTES),
                c.get(BYTES_READ),
                c.get(BYTES_WRITTEN),
                c.get(ENCRYPTION),
                c.get(CERTIFICATIONS),
                c.get(COST_AMOUNT),
                c.get(COST_CURRENCY));
    }

    private static ConfigOption<String> option(String name, String attribute, String description) {
        return key("otlp." + name + "-attribute")
                .stringType()
                .defaultValue(attribute)
                .withDescription(description);
    }
}
