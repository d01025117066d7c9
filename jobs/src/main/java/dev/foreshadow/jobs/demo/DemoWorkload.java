package dev.foreshadow.jobs.demo;

import dev.foreshadow.connectors.json.Json;
import dev.foreshadow.connectors.records.ActionMetrics;
import dev.foreshadow.connectors.records.EventType;
import dev.foreshadow.connectors.records.Security;
import dev.foreshadow.connectors.records.WorkflowEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Turns workflow templates into the event stream an engine would publish while running them: runs
 * arrive with a daily cycle (a Poisson process whose rate peaks at 14:00 UTC, a tenth of the peak
 * at night), each run replays its template's DAG with the measured task runtimes (lognormal noise,
 * sigma 0.1), one action in a hundred fails once and is retried, and a finished run of one type
 * starts a run of the next type three times in ten (so dependencies can be learned). A few records
 * are made bad on purpose (malformed, negative metric, missing id) and a few are sent twice, to
 * show that bad input is dead-lettered and duplicates are ignored. One incident is staged so that
 * anomaly detection has something real to find: for two hours from the first run of the first
 * workflow type that arrives twelve hours or less before the last arrival, the most frequent action
 * of that type runs six times slower. The demo's workload ({@link #demo}) also holds two campaigns
 * of the second workflow type, during which that type's own (untriggered) arrivals double: a past
 * one in the first half of the arrivals, to learn the effect from, and a later one in the second
 * half, to forecast; each is two hours near the afternoon peak. Deterministic for a seed.
 */
public final class DemoWorkload {

    /** The tenant of every run of the demo. */
    static final String TENANT = "lab";

    /** One record to publish on workflow-events. */
    public record Record(Instant time, String key, byte[] value) {}

    /**
     * @param records in publishing order (by event time)
     * @param actionEnds distinct valid events that end an action: the samples the shadow must store
     */
    record Workload(
            List<Record> records,
            int runs,
            int actionEnds,
            int malformed,
            int duplicates,
            Incident incident,
            List<Campaign> campaigns) {}

    /**
     * A campaign of the demo: {@code workflowType}'s own arrivals are {@code magnitude} times their
     * usual rate in [start, end); it is announced a day before it starts.
     */
    record Campaign(
            String eventId, String workflowType, Instant start, Instant end, double magnitude) {

        /** When it becomes known: a day before it starts (of trace time). */
        Instant announcedAt() {
            return start.minus(ANNOUNCED_AHEAD);
        }
    }

    /**
     * The staged incident: {@code actions} actions of {@code workflowType}/{@code actionType}
     * slowed in [start, end); {@code affectedEnds} when each of them ended (its sample's time), in
     * order.
     */
    record Incident(
            String workflowType,
            String actionType,
            Instant start,
            Instant end,
            int actions,
            double slowdown,
            List<Instant> affectedEnds) {
        @Override
        public String toString() {
            return workflowType
                    + "/"
                    + actionType
                    + " "
                    + slowdown
                    + "x slower from "
                    + start
                    + " to "
                    + end
                    + " ("
                    + actions
                    + " actions)";
        }
    }

    private static final double PEAK_HOUR = 14;
    private static final double TRIGGER_PROBABILITY = 0.3;
    private static final double FAILURE_PROBABILITY = 0.01;
    private static final int MALFORMED_EVERY = 997;
    private static final int DUPLICATE_EVERY = 211;
    private static final List<String> REGIONS = List.of("eu-west-1", "us-east-1");

    private static final double INCIDENT_SLOWDOWN = 6;

    private static final Duration CAMPAIGN_LENGTH = Duration.ofHours(2);
    private static final Duration ANNOUNCED_AHEAD = Duration.ofDays(1);
    private static final double CAMPAIGN_MAGNITUDE = 2;

    private final List<WfTrace.Template> templates;
    private final List<Campaign> campaigns;

    /**
     * The staged incident: [incidentStart, incidentEnd) for {@link #incidentAction} of the first
     * template.
     */
    private Instant incidentStart = Instant.MAX;

    private Instant incidentEnd = Instant.MAX;
    private String incidentAction;
    private final SplittableRandom random;
    private final double peakRunsPerHour;
    private final List<WorkflowEvent> events = new ArrayList<>();
    private final Map<String, Integer> runsByType = new HashMap<>();
    private int runs;
    private final List<Instant> degradedEnds = new ArrayList<>();

    private DemoWorkload(
            List<WfTrace.Template> templates,
            List<Campaign> campaigns,
            long seed,
            double peakRunsPerHour) {
        this.templates = templates;
        this.campaigns = campaigns;
        this.random = new SplittableRandom(seed);
        this.peakRunsPerHour = peakRunsPerHour;
    }

    /**
     * The records of the demo's workload (the bundled trace) with runs arriving from {@code start}
     * to {@code lastArrival}, in publishing order: what benchmarks replay at the demo's shape.
     */
    public static List<Record> bundled(
            Instant start, Instant lastArrival, long seed, double peakRunsPerHour) {
        return generate(WfTrace.bundled(), start, lastArrival, seed, peakRunsPerHour).records();
    }

    /**
     * The demo's workload: runs arriving in [start, lastArrival), each workflow type at up to
     * {@code peakRunsPerHour}, with the {@link #campaigns} of the second workflow type.
     */
    static Workload demo(
            List<WfTrace.Template> templates,
            Instant start,
            Instant lastArrival,
            long seed,
            double peakRunsPerHour) {
        return generate(
                templates,
                campaigns(templates, start, lastArrival),
                start,
                lastArrival,
                seed,
                peakRunsPerHour);
    }

    /** Runs arriving in [start, lastArrival) without campaigns. */
    static Workload generate(
            List<WfTrace.Template> templates,
            Instant start,
            Instant lastArrival,
            long seed,
            double peakRunsPerHour) {
        return generate(templates, List.of(), start, lastArrival, seed, peakRunsPerHour);
    }

    /** The middle of [start, lastArrival), on the hour: where the demo trains its models. */
    static Instant halfway(Instant start, Instant lastArrival) {
        return start.plus(Duration.between(start, lastArrival).dividedBy(2))
                .truncatedTo(ChronoUnit.HOURS);
    }

    /**
     * The demo's campaigns, of the second workflow type (the only one when there is one): a past
     * one ending an hour or more before {@link #halfway}, from four hours after the start, and a
     * later one starting two hours or more after it and ending three hours or more before the last
     * arrival; each starts at the whole hour nearest 13:00 UTC (an hour before the peak) that the
     * bounds allow.
     */
    static List<Campaign> campaigns(
            List<WfTrace.Template> templates, Instant start, Instant lastArrival) {
        String type = templates.get(Math.min(1, templates.size() - 1)).workflowType();
        Instant half = halfway(start, lastArrival);
        Instant past =
                nearPeak(
                        start.plus(Duration.ofHours(4)),
                        half.minus(CAMPAIGN_LENGTH).minus(Duration.ofHours(1)));
        Instant later =
                nearPeak(
                        half.plus(Duration.ofHours(2)),
                        lastArrival.minus(CAMPAIGN_LENGTH).minus(Duration.ofHours(3)));
        return List.of(
                new Campaign(
                        "campaign-" + type + "-1",
                        type,
                        past,
                        past.plus(CAMPAIGN_LENGTH),
                        CAMPAIGN_MAGNITUDE),
                new Campaign(
                        "campaign-" + type + "-2",
                        type,
                        later,
                        later.plus(CAMPAIGN_LENGTH),
                        CAMPAIGN_MAGNITUDE));
    }

    /**
     * The whole hour in [from, latest] (rounded in to whole hours) nearest a day's 13:00 UTC; the
     * bound nearest it when the interval is empty.
     */
    static Instant nearPeak(Instant from, Instant latest) {
        Instant lo = from.truncatedTo(ChronoUnit.HOURS);
        if (lo.isBefore(from)) {
            lo = lo.plus(Duration.ofHours(1));
        }
        Instant hi = latest.truncatedTo(ChronoUnit.HOURS);
        if (hi.isBefore(lo)) {
            return lo;
        }
        Instant best = lo;
        long bestDistance = Long.MAX_VALUE;
        for (Instant day = lo.truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(1));
                !day.isAfter(hi.plus(Duration.ofDays(1)));
                day = day.plus(Duration.ofDays(1))) {
            Instant peak = day.plus(Duration.ofHours((long) PEAK_HOUR - 1));
            Instant at = peak.isBefore(lo) ? lo : peak.isAfter(hi) ? hi : peak;
            long distance = Math.abs(Duration.between(peak, at).toMinutes());
            if (distance < bestDistance) {
                best = at;
                bestDistance = distance;
            }
        }
        return best;
    }

    private static Workload generate(
            List<WfTrace.Template> templates,
            List<Campaign> campaigns,
            Instant start,
            Instant lastArrival,
            long seed,
            double peakRunsPerHour) {
        DemoWorkload w = new DemoWorkload(templates, campaigns, seed, peakRunsPerHour);
        // the incident begins with the first run of the first type from twelve hours before the
        // last arrival on, so that it slows some actions whatever the hour (a night may have none)
        Instant incidentFrom = lastArrival.minus(Duration.ofHours(12));
        w.incidentAction =
                templates.get(0).tasks().stream()
                        .collect(
                                java.util.stream.Collectors.groupingBy(
                                        WfTrace.Task::actionType,
                                        java.util.stream.Collectors.counting()))
                        .entrySet()
                        .stream()
                        .max(Map.Entry.comparingByValue())
                        .orElseThrow()
                        .getKey();
        for (Instant minute = start;
                minute.isBefore(lastArrival);
                minute = minute.plusSeconds(60)) {
            for (int k = 0; k < templates.size(); k++) {
                int arrivals =
                        w.poisson(
                                w.ratePerMinute(minute)
                                        * w.campaignMultiplier(templates.get(k), minute));
                for (int i = 0; i < arrivals; i++) {
                    Instant at = minute.plusMillis(w.random.nextLong(60_000));
                    if (k == 0 && w.incidentStart == Instant.MAX && !at.isBefore(incidentFrom)) {
                        w.incidentStart = at;
                        w.incidentEnd = at.plus(Duration.ofHours(2));
                    }
                    w.run(k, at, null, 0);
                }
            }
        }
        return w.toRecords();
    }

    private double ratePerMinute(Instant t) {
        double hour =
                t.atZone(ZoneOffset.UTC).getHour() + t.atZone(ZoneOffset.UTC).getMinute() / 60.0;
        double shape = 0.1 + 0.9 * Math.exp(-Math.pow(hour - PEAK_HOUR, 2) / (2 * 3.5 * 3.5));
        return peakRunsPerHour * shape / 60;
    }

    /** The rate multiplier of {@code t}'s own arrivals at {@code minute}: its campaigns'. */
    private double campaignMultiplier(WfTrace.Template t, Instant minute) {
        double m = 1;
        for (Campaign c : campaigns) {
            if (c.workflowType().equals(t.workflowType())
                    && !minute.isBefore(c.start())
                    && minute.isBefore(c.end())) {
                m *= c.magnitude();
            }
        }
        return m;
    }

    private void run(int k, Instant startedAt, String triggeredBy, int depth) {
        WfTrace.Template t = templates.get(k);
        String runId = t.workflowType() + "-" + runsByType.merge(t.workflowType(), 1, Integer::sum);
        runs++;
        String region = REGIONS.get(random.nextInt(REGIONS.size()));
        List<String> certifications =
                t.workflowType().matches("1000genome|srasearch") ? List.of("HIPAA") : List.of();
        Security security = new Security("TLS1.3", certifications);
        Map<String, String> attributes =
                Map.of(
                        "region",
                        region,
                        "submitterEmail",
                        "analyst" + random.nextInt(40) + "@lab.example");

        events.add(
                event(
                        runId + "/s",
                        EventType.WORKFLOW_STARTED,
                        startedAt,
                        t,
                        runId,
                        null,
                        null,
                        triggeredBy,
                        null,
                        ActionMetrics.NONE,
                        security,
                        attributes));
        Map<String, Instant> ends = new HashMap<>();
        Instant last = startedAt;
        for (WfTrace.Task task : t.tasks()) {
            Instant ready = startedAt;
            for (String p : task.parents()) {
                Instant parentEnd = ends.get(p);
                if (parentEnd != null && parentEnd.isAfter(ready)) {
                    ready = parentEnd;
                }
            }
            Instant begin = ready.plusMillis(200 + random.nextLong(1800));
            String actionId = runId + "/" + task.id();
            int attempt = 1;
            if (random.nextDouble() < FAILURE_PROBABILITY) {
                Instant failedAt = begin.plusMillis(durationMs(task) / 2);
                events.add(
                        event(
                                actionId + "#1s",
                                EventType.ACTION_STARTED,
                                begin,
                                t,
                                runId,
                                task,
                                actionId,
                                null,
                                1,
                                ActionMetrics.NONE,
                                security,
                                attributes));
                events.add(
                        event(
                                actionId + "#1f",
                                EventType.ACTION_FAILED,
                                failedAt,
                                t,
                                runId,
                                task,
                                actionId,
                                null,
                                1,
                                metrics(task, durationMs(task) / 2),
                                security,
                                attributes));
                begin = failedAt.plusSeconds(5);
                attempt = 2;
            }
            long duration = durationMs(task);
            boolean degraded =
                    k == 0
                            && task.actionType().equals(incidentAction)
                            && !begin.isBefore(incidentStart)
                            && begin.isBefore(incidentEnd);
            if (degraded) {
                duration = Math.round(duration * INCIDENT_SLOWDOWN);
            }
            Instant end = begin.plusMillis(duration);
            events.add(
                    event(
                            actionId + "#" + attempt + "s",
                            EventType.ACTION_STARTED,
                            begin,
                            t,
                            runId,
                            task,
                            actionId,
                            null,
                            attempt,
                            ActionMetrics.NONE,
                            security,
                            attributes));
            events.add(
                    event(
                            actionId + "#" + attempt + "e",
                            EventType.ACTION_FINISHED,
                            end,
                            t,
                            runId,
                            task,
                            actionId,
                            null,
                            attempt,
                            metrics(task, duration),
                            security,
                            attributes));
            ends.put(task.id(), end);
            if (degraded) {
                degradedEnds.add(end);
            }
            if (end.isAfter(last)) {
                last = end;
            }
        }
        Instant finished = last.plusMillis(500);
        events.add(
                event(
                        runId + "/e",
                        EventType.WORKFLOW_FINISHED,
                        finished,
                        t,
                        runId,
                        null,
                        null,
                        null,
                        null,
                        ActionMetrics.NONE,
                        security,
                        attributes));
        if (depth < 3 && random.nextDouble() < TRIGGER_PROBABILITY) {
            run(
                    (k + 1) % templates.size(),
                    finished.plusSeconds(30 + random.nextInt(90)),
                    runId,
                    depth + 1);
        }
    }

    private long durationMs(WfTrace.Task task) {
        return Math.max(1, Math.round(task.runtimeSeconds() * 1000 * Math.exp(0.1 * gaussian())));
    }

    private ActionMetrics metrics(WfTrace.Task task, long durationMs) {
        double seconds = durationMs / 1000.0;
        double cores = Math.max(0.01, task.avgCpuPercent() / 100);
        return new ActionMetrics(
                durationMs,
                cores * seconds,
                cores * (1.1 + 0.2 * random.nextDouble()),
                Math.round(task.memoryBytes() * (0.9 + 0.2 * random.nextDouble())),
                task.inputBytes(),
                task.outputBytes(),
                task.readBytes(),
                task.writtenBytes());
    }

    private static WorkflowEvent event(
            String id,
            EventType type,
            Instant time,
            WfTrace.Template t,
            String runId,
            WfTrace.Task task,
            String actionId,
            String triggeredBy,
            Integer attempt,
            ActionMetrics metrics,
            Security security,
            Map<String, String> attributes) {
        return new WorkflowEvent(
                id,
                type,
                time,
                TENANT,
                t.workflowType(),
                runId,
                task == null ? null : task.actionType(),
                actionId,
                triggeredBy,
                attempt,
                metrics,
                security,
                null,
                attributes);
    }

    private Workload toRecords() {
        events.sort(Comparator.comparing(WorkflowEvent::time));
        List<Record> records = new ArrayList<>(events.size() + events.size() / 100);
        int actionEnds = 0;
        int malformed = 0;
        int duplicates = 0;
        for (int i = 0; i < events.size(); i++) {
            WorkflowEvent e = events.get(i);
            byte[] json = Json.bytes(e);
            records.add(new Record(e.time(), e.runId(), json));
            actionEnds += e.type().endsAction() ? 1 : 0;
            if (i % DUPLICATE_EVERY == DUPLICATE_EVERY - 1) {
                records.add(new Record(e.time(), e.runId(), json));
                duplicates++;
            }
            if (i % MALFORMED_EVERY == MALFORMED_EVERY - 1) {
                records.add(new Record(e.time(), e.runId(), malformed(json, malformed++)));
            }
        }
        Incident incident =
                new Incident(
                        templates.get(0).workflowType(),
                        incidentAction,
                        incidentStart,
                        incidentEnd,
                        degradedEnds.size(),
                        INCIDENT_SLOWDOWN,
                        degradedEnds.stream().sorted().toList());
        return new Workload(records, runs, actionEnds, malformed, duplicates, incident, campaigns);
    }

    /**
     * A broken copy of a record, of one of three kinds in turn; its event id is changed so it is
     * not a duplicate.
     */
    private static byte[] malformed(byte[] json, int n) {
        String s =
                new String(json, StandardCharsets.UTF_8)
                        .replace("\"eventId\":\"", "\"eventId\":\"bad-" + n + "-");
        return switch (n % 3) {
            case 0 -> s.substring(0, s.length() / 2).getBytes(StandardCharsets.UTF_8); // truncated
            case 1 ->
                    s.replace("\"runId\":", "\"run\":")
                            .getBytes(StandardCharsets.UTF_8); // missing run id
            default ->
                    s.replaceFirst("\"time\":\"[^\"]+\"", "\"time\":\"yesterday\"")
                            .getBytes(StandardCharsets.UTF_8);
        };
    }

    private int poisson(double lambda) {
        double l = Math.exp(-lambda);
        int k = 0;
        double p = random.nextDouble();
        while (p > l) {
            k++;
            p *= random.nextDouble();
        }
        return k;
    }

    private double gaussian() {
        // Box-Muller on the seeded generator, so the workload is the same for the same seed
        double u = 1 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
