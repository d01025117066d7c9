package dev.foreshadow.jobs.shadow;

/**
 * Operator uids (and names) of ShadowJob. Savepoints map state to operators by uid: never change
 * one of these for an operator whose state must survive an upgrade.
 */
public final class Uids {
    public static final String WORKFLOW_EVENTS_SOURCE = "workflow-events-source";
    public static final String SPLIT_DEAD_LETTERS = "split-dead-letters";
    public static final String SHADOW = "shadow";
    public static final String ACTION_STATS_WINDOW = "action-stats-window";
    public static final String ARRIVALS_WINDOW = "arrivals-window";
    public static final String LATE_SAMPLES = "late-samples-to-dead-letters";
    public static final String SCORE_SAMPLES = "score-samples";
    public static final String SUSTAINED_SPIKES = "sustained-spikes";
    public static final String SPIKES_ONCE_PER_INCIDENT = "spikes-once-per-incident";
    public static final String SPIKE_ALERTS = "spike-alerts-once-per-incident";
    public static final String RETRY_STORMS = "retry-storms";
    public static final String ACTION_EVENTS = "action-events";
    public static final String FAILED_ATTEMPTS = "failed-attempts";
    public static final String ORDER_EVENTS = "order-events";
    public static final String STUCK_ACTIONS = "stuck-actions";
    public static final String ACTION_ORDER = "action-order";
    public static final String COST_OVERRUN = "cost-overrun";
    public static final String SCALE_UP_ON_SPIKE = "scale-up-on-spike";
    public static final String PAGE_ONCE_PER_INCIDENT = "page-once-per-incident";
    public static final String RATE_LIMIT_ALERTS = "rate-limit-alerts";
    public static final String ACTION_SAMPLES_SINK = "action-samples-sink";
    public static final String ANOMALIES_SINK = "anomalies-sink";
    public static final String ALERTS_SINK = "alerts-sink";
    public static final String WEBHOOK_SINK = "webhook-sink";
    public static final String ALLOCATION_COMMANDS_SINK = "allocation-commands-sink";
    public static final String WORKFLOW_RUNS_SINK = "workflow-runs-sink";
    public static final String ACTION_STATS_SINK = "action-stats-sink";
    public static final String ARRIVALS_SINK = "arrivals-sink";
    public static final String DEAD_LETTERS_SINK = "dead-letters-sink";
    public static final String EXTERNAL_EVENTS_SOURCE = "external-events-source";
    public static final String SPLIT_EXTERNAL_EVENTS = "split-external-events";
    public static final String REJECT_REPLAYS = "reject-replayed-external-events";
    public static final String EXTERNAL_EVENTS_SINK = "external-events-sink";
    public static final String RUN_LINKS = "run-links";
    public static final String MATCH_TRIGGERS = "match-triggers";
    public static final String DEPENDENCY_STATISTICS = "dependency-statistics";
    public static final String WORKFLOW_DEPENDENCIES_SINK = "workflow-dependencies-sink";
    public static final String EVENTS_TO_FORECAST = "external-events-to-forecast";
    public static final String DEPENDENCIES_TO_FORECAST = "dependencies-to-forecast";
    public static final String ROUTE_ARRIVALS = "route-arrivals";
    public static final String ARRIVAL_SHAPES = "arrival-shapes";
    public static final String FORECAST = "forecast-arrivals";
    public static final String FORECASTS_OF_ORIGINS = "forecasts-of-origins";
    public static final String FORECASTS_SINK = "forecasts-sink";
    public static final String FORECASTS_TO_POOLS = "forecasts-to-pools";
    public static final String RUNS_TO_POOLS = "runs-to-pools";
    public static final String STARTS_TO_POOLS = "run-starts-to-pools";
    public static final String PROGRESS_TO_POOLS = "run-progress-to-pools";
    public static final String SCALE_UPS_TO_POOLS = "scale-ups-to-pools";
    public static final String PLAN_POOLS = "plan-pools";
    public static final String ALLOCATION_COMMANDS_TABLE_SINK = "allocation-commands-table-sink";

    private Uids() {}
}
