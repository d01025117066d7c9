package dev.foreshadow.jobs;

import dev.foreshadow.connectors.records.ActionMetrics;
import dev.foreshadow.connectors.records.Cost;
import dev.foreshadow.connectors.records.EventType;
import dev.foreshadow.connectors.records.Security;
import dev.foreshadow.connectors.records.WorkflowEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/** Named workflow events for tests: an order-fulfilment run and its actions. */
public final class Fixtures {

    /**
     * A minute boundary an hour ago: recent enough to pass validation, old enough to be history.
     */
    public static final Instant AN_HOUR_AGO =
            Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MINUTES);

    public static final ActionMetrics CHARGE_CARD_METRICS =
            new ActionMetrics(812L, 0.41, 0.9, 268_435_456L, 18_234L, 9_120L, 0L, 4_096L);

    private Fixtures() {}

    public static WorkflowEvent runStarted(String runId, Instant at) {
        return event(
                runId + "-start",
                EventType.WORKFLOW_STARTED,
                runId,
                null,
                null,
                at,
                ActionMetrics.NONE,
                null);
    }

    public static WorkflowEvent runFinished(String runId, Instant at) {
        return event(
                runId + "-end",
                EventType.WORKFLOW_FINISHED,
                runId,
                null,
                null,
                at,
                ActionMetrics.NONE,
                null);
    }

    public static WorkflowEvent actionStarted(String runId, String actionType, int n, Instant at) {
        return event(
                runId + "-" + n + "-start",
                EventType.ACTION_STARTED,
                runId,
                actionType,
                runId + "-" + n,
                at,
                ActionMetrics.NONE,
                null);
    }

    public static WorkflowEvent actionFinished(
            String runId, String actionType, int n, Instant at, ActionMetrics m) {
        return event(
                runId + "-" + n + "-end",
                EventType.ACTION_FINISHED,
                runId,
                actionType,
                runId + "-" + n,
                at,
                m,
                null);
    }

    public static WorkflowEvent actionFailed(
            String runId, String actionType, int n, Instant at, ActionMetrics m) {
        return event(
                runId + "-" + n + "-fail",
                EventType.ACTION_FAILED,
                runId,
                actionType,
                runId + "-" + n,
                at,
                m,
                null);
    }

    /** The same event under another event id and attempt (a retry, or one more event of a kind). */
    public static WorkflowEvent withIdAndAttempt(WorkflowEvent e, String eventId, Integer attempt) {
        return new WorkflowEvent(
                eventId,
                e.type(),
                e.time(),
                e.tenant(),
                e.workflowType(),
                e.runId(),
                e.actionType(),
                e.actionId(),
                e.triggeredBy(),
                attempt,
                e.metrics(),
                e.security(),
                e.cost(),
                e.attributes());
    }

    public static WorkflowEvent withCost(WorkflowEvent e, double amount) {
        return new WorkflowEvent(
                e.eventId(),
                e.type(),
                e.time(),
                e.tenant(),
                e.workflowType(),
                e.runId(),
                e.actionType(),
                e.actionId(),
                e.triggeredBy(),
                e.attempt(),
                e.metrics(),
                e.security(),
                new Cost(amount, "USD"),
                e.attributes());
    }

    static WorkflowEvent event(
            String id,
            EventType type,
            String runId,
            String actionType,
            String actionId,
            Instant at,
            ActionMetrics m,
            Cost cost) {
        return new WorkflowEvent(
                id,
                type,
                at,
                "shop",
                "order-fulfilment",
                runId,
                actionType,
                actionId,
                null,
                null,
                m,
                new Security(
                        "TLS1.3",
                        actionType != null && actionType.equals("charge-card")
                                ? List.of("PCI-DSS")
                                : List.of()),
                cost,
                Map.of("region", "eu-west-1", "customerEmail", "jane@example.com"));
    }
}
