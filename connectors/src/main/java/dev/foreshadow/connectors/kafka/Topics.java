package dev.foreshadow.connectors.kafka;

import java.util.List;
import java.util.Map;

/** The Kafka topics of foreshadow (DESIGN.md, Topics). */
public final class Topics {
    public static final String WORKFLOW_EVENTS = "workflow-events";
    public static final String EXTERNAL_EVENTS = "external-events";
    public static final String ALLOCATION_COMMANDS = "allocation-commands";
    public static final String ALLOCATION_STATUS = "allocation-status";
    public static final String ANOMALIES = "anomalies";
    public static final String DEAD_LETTERS = "dead-letters";

    public static final List<String> ALL =
            List.of(
                    WORKFLOW_EVENTS,
                    EXTERNAL_EVENTS,
                    ALLOCATION_COMMANDS,
                    ALLOCATION_STATUS,
                    ANOMALIES,
                    DEAD_LETTERS);

    /**
     * Settings a topic needs beyond the broker's defaults: {@code external-events} is stamped by
     * the broker ({@code LogAppendTime}), so that the age of a signed event is judged against a
     * time its sender cannot set, the same on every replay.
     */
    public static Map<String, String> config(String topic) {
        return topic.equals(EXTERNAL_EVENTS)
                ? Map.of("message.timestamp.type", "LogAppendTime")
                : Map.of();
    }

    private Topics() {}
}
