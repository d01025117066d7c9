package dev.foreshadow.jobs.shadow;

import dev.foreshadow.connectors.records.ActionMetrics;
import dev.foreshadow.connectors.records.Cost;
import dev.foreshadow.connectors.records.EventType;
import dev.foreshadow.connectors.records.Security;
import dev.foreshadow.connectors.records.WorkflowEvent;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The workload of the savepoint fixture: a history that gives every stateful operator of ShadowJob
 * state ({@link #beforeSavepoint()}: 40 runs of two workflow types, a metric incident, runs still
 * in flight, a first failed attempt, an open minute), and its continuation ({@link
 * #afterSavepoint()}) in which each detector can only fire if the state it learned before the
 * savepoint was restored. Event times are fixed, so the committed savepoint and this class agree.
 */
final class SavepointWorkload {

    /** Event time of the first run. */
    static final Instant BASE = Instant.parse("2026-12-01T08:00:00Z");

    /**
     * The minute that is still open (not yet emitted by the windows) when the savepoint is taken.
     */
    static final Instant OPEN_MINUTE = BASE.plusSeconds(80 * 60);

    /**
     * Settings both runs use: the fixed past times must pass validation, and windows close fast.
     */
    static final Map<String, String> SETTINGS =
            Map.of(
                    "history.retention", "3650 d",
                    "history.flush-interval", "200 ms",
                    "shadow.completion-grace", "10 s",
                    "watermark.out-of-orderness", "5 s",
                    // longer than the quiet periods of the tests: a source marked idle loses the
                    // final watermark of a drain in Flink 2.2 (see DISCUSSION.md)
                    "watermark.idleness", "60 s");

    private SavepointWorkload() {}

    static List<WorkflowEvent> beforeSavepoint() {
        List<WorkflowEvent> out = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Instant t = BASE.plusSeconds(120L * i);
            double wobble = 1 + 0.05 * Math.sin(i);
            // the 36th order is ten times slower to charge: a metric incident once detectors warmed
            double charge = i == 35 ? 10 : 1;
            String o = "o-" + i;
            out.add(run(EventType.WORKFLOW_STARTED, "orders", o, t));
            action(out, "orders", o, "reserve-stock", 1, t.plusSeconds(1), 2000 * wobble);
            action(out, "orders", o, "charge-card", 2, t.plusSeconds(4), 800 * wobble * charge);
            action(out, "orders", o, "ship", 3, t.plusSeconds(12), 4000 * wobble);
            out.add(run(EventType.WORKFLOW_FINISHED, "orders", o, t.plusSeconds(20)));

            Instant r = t.plusSeconds(60);
            String p = "r-" + i;
            out.add(run(EventType.WORKFLOW_STARTED, "reports", p, r));
            action(out, "reports", p, "extract", 1, r.plusSeconds(1), 5000 * wobble);
            action(out, "reports", p, "render", 2, r.plusSeconds(7), 2000 * wobble);
            out.add(run(EventType.WORKFLOW_FINISHED, "reports", p, r.plusSeconds(10)));
        }
        // in flight at the savepoint: stock reserved, card charging
        for (int k = 1; k <= 3; k++) {
            Instant t = OPEN_MINUTE.plusSeconds(10L * k);
            String run = "p-" + k;
            out.add(run(EventType.WORKFLOW_STARTED, "orders", run, t));
            action(out, "orders", run, "reserve-stock", 1, t.plusSeconds(1), 2000);
            out.add(started("orders", run, "charge-card", 2, 1, t.plusSeconds(4)));
        }
        // a first failed attempt: a retry storm needs two more
        Instant f = OPEN_MINUTE.plusSeconds(45);
        out.add(run(EventType.WORKFLOW_STARTED, "orders", "f-1", f));
        action(out, "orders", "f-1", "reserve-stock", 1, f.plusSeconds(1), 500);
        out.add(started("orders", "f-1", "charge-card", 2, 1, f.plusSeconds(2)));
        out.add(failed("orders", "f-1", "charge-card", 2, 1, f.plusSeconds(3), 800));
        return out;
    }

    static List<WorkflowEvent> afterSavepoint() {
        List<WorkflowEvent> out = new ArrayList<>();
        Instant t = OPEN_MINUTE.plusSeconds(55);
        for (int k = 1; k <= 3; k++) {
            String run = "p-" + k;
            out.add(finished("orders", run, "charge-card", 2, 1, t.plusSeconds(k), 800));
            action(out, "orders", run, "ship", 3, t.plusSeconds(5 + k), 4000);
            out.add(run(EventType.WORKFLOW_FINISHED, "orders", run, t.plusSeconds(15 + k)));
        }
        for (int attempt = 2; attempt <= 3; attempt++) {
            out.add(
                    started(
                            "orders",
                            "f-1",
                            "charge-card",
                            2,
                            attempt,
                            t.plusSeconds(20 * attempt)));
            out.add(
                    failed(
                            "orders",
                            "f-1",
                            "charge-card",
                            2,
                            attempt,
                            t.plusSeconds(20 * attempt + 1),
                            800));
        }
        out.add(run(EventType.WORKFLOW_FINISHED, "orders", "f-1", t.plusSeconds(70)));

        Instant u = t.plusSeconds(120);
        // charge-card without the reserve-stock that preceded it in every earlier order
        out.add(run(EventType.WORKFLOW_STARTED, "orders", "u-1", u));
        action(out, "orders", "u-1", "charge-card", 2, u.plusSeconds(1), 800);
        out.add(run(EventType.WORKFLOW_FINISHED, "orders", "u-1", u.plusSeconds(3)));
        // shipping that never ends
        out.add(run(EventType.WORKFLOW_STARTED, "orders", "s-1", u.plusSeconds(10)));
        out.add(started("orders", "s-1", "ship", 3, 1, u.plusSeconds(11)));
        // an order that costs a hundred times the others
        Instant c = u.plusSeconds(20);
        out.add(run(EventType.WORKFLOW_STARTED, "orders", "c-1", c));
        out.add(started("orders", "c-1", "reserve-stock", 1, 1, c.plusSeconds(1)));
        out.add(withCost(finished("orders", "c-1", "reserve-stock", 1, 1, c.plusSeconds(3), 2000)));
        out.add(run(EventType.WORKFLOW_FINISHED, "orders", "c-1", c.plusSeconds(4)));
        // an extract twenty times slower than its baseline
        Instant m = u.plusSeconds(30);
        out.add(run(EventType.WORKFLOW_STARTED, "reports", "m-1", m));
        action(out, "reports", "m-1", "extract", 1, m.plusSeconds(1), 100_000);
        out.add(run(EventType.WORKFLOW_FINISHED, "reports", "m-1", m.plusSeconds(120)));
        // later runs move event time on, so timers (stuck ship, grace, windows) fire
        for (int i = 0; i < 5; i++) {
            Instant later = u.plusSeconds(180 + 60L * i);
            String run = "late-" + i;
            out.add(run(EventType.WORKFLOW_STARTED, "reports", run, later));
            action(out, "reports", run, "render", 2, later.plusSeconds(1), 2000);
            out.add(run(EventType.WORKFLOW_FINISHED, "reports", run, later.plusSeconds(5)));
        }
        return out;
    }

    /** Samples (ends of actions) of the whole workload whose time falls in {@code minute}. */
    static long samplesIn(Instant minute, String actionType) {
        List<WorkflowEvent> all = new ArrayList<>(beforeSavepoint());
        all.addAll(afterSavepoint());
        return all.stream()
                .filter(
                        e ->
                                e.type() == EventType.ACTION_FINISHED
                                        || e.type() == EventType.ACTION_FAILED)
                .filter(e -> e.actionType().equals(actionType))
                .filter(e -> e.time().truncatedTo(ChronoUnit.MINUTES).equals(minute))
                .count();
    }

    private static void action(
            List<WorkflowEvent> out,
            String type,
            String run,
            String action,
            int n,
            Instant start,
            double durationMs) {
        out.add(started(type, run, action, n, 1, start));
        out.add(
                finished(
                        type,
                        run,
                        action,
                        n,
                        1,
                        start.plusMillis(Math.round(durationMs)),
                        durationMs));
    }

    private static WorkflowEvent run(EventType kind, String type, String run, Instant at) {
        return event(run + "-" + kind, kind, type, run, null, null, null, at, ActionMetrics.NONE);
    }

    private static WorkflowEvent started(
            String type, String run, String action, int n, int attempt, Instant at) {
        return event(
                run + "-" + n + "-" + attempt + "-start",
                EventType.ACTION_STARTED,
                type,
                run,
                action,
                run + "-" + n,
                attempt,
                at,
                ActionMetrics.NONE);
    }

    private static WorkflowEvent finished(
            String type, String run, String action, int n, int attempt, Instant at, double ms) {
        return event(
                run + "-" + n + "-" + attempt + "-end",
                EventType.ACTION_FINISHED,
                type,
                run,
                action,
                run + "-" + n,
                attempt,
                at,
                metrics(ms));
    }

    private static WorkflowEvent failed(
            String type, String run, String action, int n, int attempt, Instant at, double ms) {
        return event(
                run + "-" + n + "-" + attempt + "-fail",
                EventType.ACTION_FAILED,
                type,
                run,
                action,
                run + "-" + n,
                attempt,
                at,
                metrics(ms));
    }

    private static ActionMetrics metrics(double ms) {
        long d = Math.round(ms);
        return new ActionMetrics(d, d / 2000.0, 0.9, 268_435_456L, 18_234L, 9_120L, 1_000L, 4_096L);
    }

    private static WorkflowEvent withCost(WorkflowEvent e) {
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
                new Cost(100.0, "USD"),
                e.attributes());
    }

    private static WorkflowEvent event(
            String id,
            EventType kind,
            String type,
            String run,
            String action,
            String actionId,
            Integer attempt,
            Instant at,
            ActionMetrics m) {
        return new WorkflowEvent(
                id,
                kind,
                at,
                "shop",
                type,
                run,
                action,
                actionId,
                null,
                attempt,
                m,
                new Security("TLS1.3", List.of()),
                null,
                Map.of("region", "eu-west-1"));
    }
}
