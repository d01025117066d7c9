package dev.foreshadow.jobs.shadow;

import dev.foreshadow.connectors.json.Decoded;
import dev.foreshadow.connectors.json.EventDecoder;
import dev.foreshadow.connectors.json.Json;
import dev.foreshadow.connectors.kafka.ExternalEventDeserializer;
import dev.foreshadow.connectors.kafka.WorkflowEventDeserializer;
import dev.foreshadow.connectors.otlp.WorkflowRecordDecoder;
import dev.foreshadow.connectors.records.ActionSample;
import dev.foreshadow.connectors.records.ActionStats;
import dev.foreshadow.connectors.records.AllocationCommand;
import dev.foreshadow.connectors.records.Anomaly;
import dev.foreshadow.connectors.records.Arrivals;
import dev.foreshadow.connectors.records.DeadLetter;
import dev.foreshadow.connectors.records.RunSummary;
import dev.foreshadow.connectors.records.TypeForecast;
import dev.foreshadow.connectors.records.VerifiedEvent;
import dev.foreshadow.connectors.records.WorkflowDependency;
import dev.foreshadow.connectors.records.WorkflowEvent;
import dev.foreshadow.jobs.common.SplitDeadLetters;
import dev.foreshadow.jobs.common.Watermarks;
import dev.foreshadow.jobs.common.WireFormats;
import dev.foreshadow.jobs.shadow.anomalies.ActionOrder;
import dev.foreshadow.jobs.shadow.anomalies.AnomalySettings;
import dev.foreshadow.jobs.shadow.anomalies.CostOverrun;
import dev.foreshadow.jobs.shadow.anomalies.PageOncePerIncident;
import dev.foreshadow.jobs.shadow.anomalies.Patterns;
import dev.foreshadow.jobs.shadow.anomalies.RateLimitAlerts;
import dev.foreshadow.jobs.shadow.anomalies.ScaleUpOnSpike;
import dev.foreshadow.jobs.shadow.anomalies.ScoreSamples;
import dev.foreshadow.jobs.shadow.anomalies.StuckActions;
import dev.foreshadow.jobs.shadow.dependencies.DependencySettings;
import dev.foreshadow.jobs.shadow.dependencies.DependencyStatistics;
import dev.foreshadow.jobs.shadow.dependencies.MatchTriggers;
import dev.foreshadow.jobs.shadow.dependencies.RunLink;
import dev.foreshadow.jobs.shadow.dependencies.TriggerObservation;
import dev.foreshadow.jobs.shadow.events.RejectReplays;
import dev.foreshadow.jobs.shadow.forecast.ArrivalShapes;
import dev.foreshadow.jobs.shadow.forecast.ForecastArrivals;
import dev.foreshadow.jobs.shadow.forecast.ForecastContext;
import dev.foreshadow.jobs.shadow.forecast.RouteArrivals;
import dev.foreshadow.jobs.shadow.forecast.TypeArrivals;
import dev.foreshadow.jobs.shadow.planner.PlanPool;
import dev.foreshadow.jobs.shadow.planner.PlanningSettings;
import dev.foreshadow.jobs.shadow.planner.PoolInput;
import dev.foreshadow.jobs.shadow.shadowing.RunProgress;
import dev.foreshadow.jobs.shadow.shadowing.Shadow;
import dev.foreshadow.jobs.shadow.statistics.ActionStatsWindow;
import dev.foreshadow.jobs.shadow.statistics.ArrivalsWindow;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.OutputTag;

/**
 * The shadow of a workflow engine. Data flow:
 *
 * <pre>
 * workflow-events -> decode+validate+redact (in the source) -> split -> keyBy(run) Shadow -> action_samples
 *      |                                 |   |   |                      +-> run summaries -> workflow_runs
 *      |                                 |   |   |                      +-> run starts -> 1 min windows -> arrivals
 *      |                                 |   |   |                      +-> samples -> 1 min windows -> action_stats
 *      |                                 |   |   |                      +-> samples -> keyBy(type, action) ScoreSamples
 *      |                                 |   |   |                            (high scores -> CEP sustained spikes
 *      |                                 |   |   |                             -> ScaleUpOnSpike -> the planner's bounds)
 *      |                                 |   |   |                      +-> run summaries -> CostOverrun
 *      |                                 |   |   |                      +-> run summaries -> keyBy(run) MatchTriggers
 *      |                                 |   |   |                            -> keyBy(parent type) DependencyStatistics
 *      |                                 |   |   |                            -> workflow_dependencies
 *      |                                 |   |   +-> keyBy(run) CEP retry storms
 *      |                                 |   +-> keyBy(type, action) StuckActions (timers)
 *      |                                 +-> keyBy(type) ActionOrder
 *      +-> dead-letters (rejected input, samples too late for their window)
 *   all anomalies -> anomalies (table); -> keyBy(type, action) PageOncePerIncident
 *                                          -> keyBy(tenant) RateLimitAlerts -> anomalies (topic)
 * external-events -> verify signature, age, content (in the source) -> split -> keyBy(key id)
 *      |                                 RejectReplays -> external_events
 *      +-> dead-letters (unsigned, unknown key, forged, stale, invalid, replayed)
 * arrivals -> RouteArrivals (to the type and its children) -> keyBy(type) ForecastArrivals -> forecasts
 *      (broadcast to both: accepted external events, workflow dependencies, and from
 *       arrivals -> keyBy(tenant) ArrivalShapes the types' arrivals over the cycle, for priors)
 *      (an external event that arrives revises the last origin's forecasts it bears on at once:
 *       the revisions go to PlanPool, not to the table)
 * forecasts + run starts + run progress + run summaries + scale-ups -> keyBy(pool) PlanPool
 *      -> side output ALLOCATION_COMMANDS
 *      -> allocation-commands (topic), allocation_commands (table)
 * </pre>
 *
 * Event time comes from the events (bounded out-of-orderness, with idleness so a quiet partition
 * does not hold the watermark back).
 */
public final class ShadowJob {

    public static final String NAME = "foreshadow-shadow";
    static final OutputTag<ActionSample> LATE_SAMPLES = new OutputTag<>("late-samples") {};

    private final Source<Decoded<WorkflowEvent>, ?, ?> events;
    private final Source<Decoded<VerifiedEvent>, ?, ?> externalEvents;
    private final ShadowSinks sinks;
    private final ShadowSettings settings;

    public ShadowJob(
            Source<Decoded<WorkflowEvent>, ?, ?> events,
            Source<Decoded<VerifiedEvent>, ?, ?> externalEvents,
            ShadowSinks sinks,
            ShadowSettings settings) {
        this.events = events;
        this.externalEvents = externalEvents;
        this.sinks = sinks;
        this.settings = settings;
    }

    /** The job on Kafka and the history database, as configured. */
    public static ShadowJob of(ShadowSettings s) {
        return of(s, workflowEvents(s));
    }

    /**
     * The job on Kafka and the history database, its workflow events decoded by {@code events} (the
     * standard {@link #workflowEvents} or one that wraps it).
     */
    public static ShadowJob of(
            ShadowSettings s, KafkaRecordDeserializationSchema<Decoded<WorkflowEvent>> events) {
        return new ShadowJob(
                s.kafka().source(s.workflowEventsTopic(), s.groupId(), events),
                s.kafka()
                        .externalEvents(
                                s.externalEvents().topic(),
                                s.groupId(),
                                new ExternalEventDeserializer(
                                        s.externalEvents().verifier(s.job().input()),
                                        InstantSource.system())),
                ShadowSinks.of(s),
                s);
    }

    /**
     * How the job's records pass between its operators: every record and every state has a Flink or
     * versioned serializer, never Kryo; and a record goes to the next operator of its chain as it
     * is, not as a copy (object reuse): every record on the job's streams is an immutable Java
     * record (collections copied into unmodifiable ones, arrays never written after they are
     * built), and no function keeps an object it means to change later.
     */
    public static void configure(StreamExecutionEnvironment env) {
        env.configure(
                new Configuration()
                        .set(PipelineOptions.GENERIC_TYPES, false)
                        .set(PipelineOptions.OBJECT_REUSE, true));
    }

    /** What decodes workflow-events: foreshadow's JSON and OTLP spans, validated and redacted. */
    public static KafkaRecordDeserializationSchema<Decoded<WorkflowEvent>> workflowEvents(
            ShadowSettings s) {
        EventDecoder decoder =
                new EventDecoder(
                        s.privacy(),
                        s.job().maxClockSkew(),
                        s.history().retention(),
                        InstantSource.system(),
                        s.job().input());
        return new WorkflowEventDeserializer(new WorkflowRecordDecoder(decoder, s.otlp()));
    }

    public void build(StreamExecutionEnvironment env) {
        env.setMaxParallelism(settings.job().maxParallelism());
        configure(env);

        DataStream<Decoded<WorkflowEvent>> decoded =
                env.fromSource(
                                events,
                                Watermarks.<WorkflowEvent>of(settings.job()),
                                Uids.WORKFLOW_EVENTS_SOURCE)
                        .uid(Uids.WORKFLOW_EVENTS_SOURCE);

        SingleOutputStreamOperator<WorkflowEvent> valid =
                decoded.process(new SplitDeadLetters<WorkflowEvent>())
                        .returns(WireFormats.WORKFLOW_EVENTS)
                        .uid(Uids.SPLIT_DEAD_LETTERS)
                        .name(Uids.SPLIT_DEAD_LETTERS);

        SingleOutputStreamOperator<ActionSample> samples =
                valid.keyBy(Shadow::runKey)
                        .process(
                                new Shadow(
                                        settings.runTtl(),
                                        settings.completionGrace(),
                                        settings.prices()))
                        .returns(WireFormats.ACTION_SAMPLES)
                        .uid(Uids.SHADOW)
                        .name(Uids.SHADOW);
        DataStream<RunSummary> runs = samples.getSideOutput(Shadow.RUN_SUMMARIES);
        DataStream<Arrivals> starts = samples.getSideOutput(Shadow.RUN_STARTS);
        DataStream<RunProgress> progress = samples.getSideOutput(Shadow.RUN_PROGRESS);

        SingleOutputStreamOperator<ActionStats> stats =
                ActionStatsWindow.perMinute(samples, LATE_SAMPLES)
                        .uid(Uids.ACTION_STATS_WINDOW)
                        .name(Uids.ACTION_STATS_WINDOW);

        SingleOutputStreamOperator<Arrivals> arrivals =
                starts.keyBy(ArrivalsWindow::key)
                        .window(TumblingEventTimeWindows.of(Duration.ofMinutes(1)))
                        .reduce(new ArrivalsWindow.Count(), new ArrivalsWindow.Emit())
                        .uid(Uids.ARRIVALS_WINDOW)
                        .name(Uids.ARRIVALS_WINDOW);

        Detected detected = anomalies(valid, samples, runs);
        DataStream<Anomaly> anomalies = detected.anomalies();

        DataStream<WorkflowDependency> dependencies = dependencies(runs);

        ExternalEvents external = externalEvents(env);

        DataStream<TypeForecast> forecasts = forecast(arrivals, external.accepted(), dependencies);

        DataStream<DeadLetter> lateSamples =
                stats.getSideOutput(LATE_SAMPLES)
                        .map(ShadowJob::lateSample)
                        .uid(Uids.LATE_SAMPLES)
                        .name(Uids.LATE_SAMPLES);

        // the Shadow's two history sinks run in tasks of their own: chained, every COPY (each
        // history.flush-interval and checkpoint) would hold the Shadow's thread, and with it every
        // sample and watermark on its way to the detectors and the alerts
        samples.sinkTo(sinks.samples())
                .uid(Uids.ACTION_SAMPLES_SINK)
                .name(Uids.ACTION_SAMPLES_SINK)
                .disableChaining();
        runs.sinkTo(sinks.runs())
                .uid(Uids.WORKFLOW_RUNS_SINK)
                .name(Uids.WORKFLOW_RUNS_SINK)
                .disableChaining();
        stats.sinkTo(sinks.stats()).uid(Uids.ACTION_STATS_SINK).name(Uids.ACTION_STATS_SINK);
        arrivals.sinkTo(sinks.arrivals()).uid(Uids.ARRIVALS_SINK).name(Uids.ARRIVALS_SINK);
        anomalies.sinkTo(sinks.anomalies()).uid(Uids.ANOMALIES_SINK).name(Uids.ANOMALIES_SINK);
        external.accepted()
                .sinkTo(sinks.externalEvents())
                .uid(Uids.EXTERNAL_EVENTS_SINK)
                .name(Uids.EXTERNAL_EVENTS_SINK);
        dependencies
                .sinkTo(sinks.dependencies())
                .uid(Uids.WORKFLOW_DEPENDENCIES_SINK)
                .name(Uids.WORKFLOW_DEPENDENCIES_SINK);
        // the table holds each origin's forecast (the one scored), not the revisions
        forecasts
                .filter((TypeForecast f) -> f.revisedAt() == null)
                .uid(Uids.FORECASTS_OF_ORIGINS)
                .name(Uids.FORECASTS_OF_ORIGINS)
                .sinkTo(sinks.forecasts())
                .uid(Uids.FORECASTS_SINK)
                .name(Uids.FORECASTS_SINK);
        DataStream<AllocationCommand> commands =
                plan(forecasts, starts, progress, runs, detected.scaleUps());
        commands.sinkTo(sinks.allocationCommands())
                .uid(Uids.ALLOCATION_COMMANDS_SINK)
                .name(Uids.ALLOCATION_COMMANDS_SINK);
        commands.sinkTo(sinks.allocationHistory())
                .uid(Uids.ALLOCATION_COMMANDS_TABLE_SINK)
                .name(Uids.ALLOCATION_COMMANDS_TABLE_SINK);
        SingleOutputStreamOperator<Anomaly> alerts =
                anomalies
                        .keyBy(PageOncePerIncident::key)
                        .process(
                                new PageOncePerIncident(
                                        settings.anomaly().pageQuiet(),
                                        settings.history().retention()))
                        .uid(Uids.PAGE_ONCE_PER_INCIDENT)
                        .name(Uids.PAGE_ONCE_PER_INCIDENT)
                        .keyBy(Anomaly::tenant)
                        .process(
                                new RateLimitAlerts(
                                        settings.anomaly().alertsPerMinute(),
                                        settings.anomaly().alertBurst()))
                        .uid(Uids.RATE_LIMIT_ALERTS)
                        .name(Uids.RATE_LIMIT_ALERTS);
        alerts.sinkTo(sinks.alerts()).uid(Uids.ALERTS_SINK).name(Uids.ALERTS_SINK);
        if (sinks.webhook() != null) {
            alerts.sinkTo(sinks.webhook()).uid(Uids.WEBHOOK_SINK).name(Uids.WEBHOOK_SINK);
        }
        valid.getSideOutput(SplitDeadLetters.DEAD_LETTERS)
                .union(lateSamples, external.rejected())
                .sinkTo(sinks.deadLetters())
                .uid(Uids.DEAD_LETTERS_SINK)
                .name(Uids.DEAD_LETTERS_SINK);
    }

    /**
     * The external events the job accepted (to store, and for the Forecast operator to broadcast)
     * and those it rejected.
     */
    private record ExternalEvents(
            DataStream<VerifiedEvent> accepted, DataStream<DeadLetter> rejected) {}

    /**
     * Signed external events: authenticated, checked for age and validated in the source (a
     * rejected one never moves the watermark), then replays rejected per signing key.
     */
    private ExternalEvents externalEvents(StreamExecutionEnvironment env) {
        SingleOutputStreamOperator<VerifiedEvent> verified =
                env.fromSource(
                                externalEvents,
                                Watermarks.<VerifiedEvent>of(settings.job()),
                                Uids.EXTERNAL_EVENTS_SOURCE)
                        .uid(Uids.EXTERNAL_EVENTS_SOURCE)
                        .process(new SplitDeadLetters<VerifiedEvent>())
                        .returns(VerifiedEvent.class)
                        .uid(Uids.SPLIT_EXTERNAL_EVENTS)
                        .name(Uids.SPLIT_EXTERNAL_EVENTS);
        SingleOutputStreamOperator<VerifiedEvent> accepted =
                verified.keyBy(RejectReplays::key)
                        .process(new RejectReplays(settings.externalEvents().replayWindow()))
                        .uid(Uids.REJECT_REPLAYS)
                        .name(Uids.REJECT_REPLAYS);
        return new ExternalEvents(
                accepted,
                verified.getSideOutput(SplitDeadLetters.DEAD_LETTERS)
                        .union(accepted.getSideOutput(RejectReplays.REPLAYS)));
    }

    /**
     * Each workflow type's arrivals forecast per bucket: the minute arrivals addressed to the type
     * and to the child types it starts, then forecast per type with the accepted external events,
     * the dependency estimates and the tenants' arrival shapes (the prior of a new type) broadcast
     * to every subtask. The forecast runs once per bucket per type, never per event.
     */
    private DataStream<TypeForecast> forecast(
            DataStream<Arrivals> arrivals,
            DataStream<VerifiedEvent> accepted,
            DataStream<WorkflowDependency> dependencies) {
        DataStream<ForecastContext> context =
                accepted.map((VerifiedEvent v) -> ForecastContext.of(v))
                        .returns(ForecastContext.class)
                        .uid(Uids.EVENTS_TO_FORECAST)
                        .name(Uids.EVENTS_TO_FORECAST)
                        .union(
                                dependencies
                                        .map((WorkflowDependency d) -> ForecastContext.of(d))
                                        .returns(ForecastContext.class)
                                        .uid(Uids.DEPENDENCIES_TO_FORECAST)
                                        .name(Uids.DEPENDENCIES_TO_FORECAST),
                                arrivals.keyBy(ArrivalShapes::key)
                                        .process(
                                                new ArrivalShapes(
                                                        settings.forecast().bucket(),
                                                        settings.history().retention()))
                                        .uid(Uids.ARRIVAL_SHAPES)
                                        .name(Uids.ARRIVAL_SHAPES));
        return arrivals.connect(context.broadcast(RouteArrivals.ROUTES))
                .process(new RouteArrivals())
                .uid(Uids.ROUTE_ARRIVALS)
                .name(Uids.ROUTE_ARRIVALS)
                .keyBy(TypeArrivals::key)
                .connect(context.broadcast(ForecastArrivals.CONTEXT))
                .process(
                        new ForecastArrivals(
                                settings.forecast(),
                                settings.history().database(),
                                settings.history().retention()))
                .uid(Uids.FORECAST)
                .name(Uids.FORECAST);
    }

    /**
     * Per pool (configured, else one per workflow type), the commands that size it: from the
     * forecasts of its types, the demand of their finished runs and of those still in flight (from
     * the run starts, the Shadow's progress reports and the summaries), and the anomaly scale-ups
     * bounded by the same maximum and budget; the planner's side output {@link
     * PlanPool#ALLOCATION_COMMANDS}.
     */
    private DataStream<AllocationCommand> plan(
            DataStream<TypeForecast> forecasts,
            DataStream<Arrivals> starts,
            DataStream<RunProgress> progress,
            DataStream<RunSummary> runs,
            DataStream<AllocationCommand> scaleUps) {
        PlanningSettings pools = settings.planner();
        DataStream<PoolInput> inputs =
                forecasts
                        .map((TypeForecast f) -> PoolInput.of(f, pools))
                        .returns(PoolInput.class)
                        .uid(Uids.FORECASTS_TO_POOLS)
                        .name(Uids.FORECASTS_TO_POOLS)
                        .union(
                                runs.map((RunSummary r) -> PoolInput.of(r, pools))
                                        .returns(PoolInput.class)
                                        .uid(Uids.RUNS_TO_POOLS)
                                        .name(Uids.RUNS_TO_POOLS),
                                starts.map((Arrivals a) -> PoolInput.of(a, pools))
                                        .returns(PoolInput.class)
                                        .uid(Uids.STARTS_TO_POOLS)
                                        .name(Uids.STARTS_TO_POOLS),
                                progress.map((RunProgress p) -> PoolInput.of(p, pools))
                                        .returns(PoolInput.class)
                                        .uid(Uids.PROGRESS_TO_POOLS)
                                        .name(Uids.PROGRESS_TO_POOLS));
        if (scaleUps != null) {
            inputs =
                    inputs.union(
                            scaleUps.map((AllocationCommand c) -> PoolInput.of(c, pools))
                                    .returns(PoolInput.class)
                                    .uid(Uids.SCALE_UPS_TO_POOLS)
                                    .name(Uids.SCALE_UPS_TO_POOLS));
        }
        return inputs.keyBy(PoolInput::key)
                .process(
                        new PlanPool(
                                settings.planner(),
                                settings.forecast().bucket(),
                                settings.history().retention()))
                .uid(Uids.PLAN_POOLS)
                .name(Uids.PLAN_POOLS)
                .getSideOutput(PlanPool.ALLOCATION_COMMANDS);
    }

    /**
     * Which workflow types start which: each run joined to the runs that name it in {@code
     * triggeredBy}, then counted per parent type.
     */
    private DataStream<WorkflowDependency> dependencies(DataStream<RunSummary> runs) {
        DependencySettings d = settings.dependencies();
        return runs.flatMap(new RunLink.Split())
                .uid(Uids.RUN_LINKS)
                .name(Uids.RUN_LINKS)
                .keyBy(RunLink::runKey)
                .process(new MatchTriggers(d.lagWindow().plus(settings.runTtl())))
                .uid(Uids.MATCH_TRIGGERS)
                .name(Uids.MATCH_TRIGGERS)
                .keyBy(TriggerObservation::key)
                .process(
                        new DependencyStatistics(
                                d.lagWindow(),
                                DependencySettings.BIN_MS,
                                d.publishEvery(),
                                d.minTriggers(),
                                settings.history().retention()))
                .uid(Uids.DEPENDENCY_STATISTICS)
                .name(Uids.DEPENDENCY_STATISTICS);
    }

    /**
     * Every detector of the job, their anomalies in one stream; sustained resource spikes also
     * scale up (through the planner's bounds).
     */
    private Detected anomalies(
            DataStream<WorkflowEvent> valid,
            DataStream<ActionSample> samples,
            DataStream<RunSummary> runs) {
        AnomalySettings a = settings.anomaly();
        Duration forgetAfter = settings.history().retention();
        SingleOutputStreamOperator<Anomaly> metricAnomalies =
                samples.keyBy(ActionStatsWindow::key)
                        .process(new ScoreSamples(a.incidentQuiet(), a.alertRule(), forgetAfter))
                        .uid(Uids.SCORE_SAMPLES)
                        .name(Uids.SCORE_SAMPLES);
        SingleOutputStreamOperator<Anomaly> spikes =
                Patterns.oncePerIncident(
                                Patterns.sustainedSpikes(
                                                metricAnomalies
                                                        .getSideOutput(ScoreSamples.HIGH_SCORES)
                                                        .keyBy(Patterns::spikeKey),
                                                a.spikeCount(),
                                                a.spikeWithin())
                                        .uid(Uids.SUSTAINED_SPIKES)
                                        .name(Uids.SUSTAINED_SPIKES)
                                        .keyBy(Patterns::spikeKey),
                                forgetAfter)
                        .uid(Uids.SPIKES_ONCE_PER_INCIDENT)
                        .name(Uids.SPIKES_ONCE_PER_INCIDENT);
        DataStream<AllocationCommand> scaleUps =
                a.scaleUpOnSpike()
                        ? spikes.flatMap(
                                        new ScaleUpOnSpike(a.scaleUpInstances(), a.scaleUpExpiry()))
                                .uid(Uids.SCALE_UP_ON_SPIKE)
                                .name(Uids.SCALE_UP_ON_SPIKE)
                        : null;
        SingleOutputStreamOperator<Anomaly> retryStorms =
                Patterns.retryStorms(
                                valid.filter(Patterns::isFailure)
                                        .uid(Uids.FAILED_ATTEMPTS)
                                        .name(Uids.FAILED_ATTEMPTS)
                                        .keyBy(Shadow::runKey),
                                a.retryStormFailures(),
                                a.retryStormWithin())
                        .uid(Uids.RETRY_STORMS)
                        .name(Uids.RETRY_STORMS);
        SingleOutputStreamOperator<Anomaly> stuck =
                valid.filter(e -> e.type().concernsAction())
                        .uid(Uids.ACTION_EVENTS)
                        .name(Uids.ACTION_EVENTS)
                        .keyBy(StuckActions::key)
                        .process(new StuckActions(a.stuckFactor(), a.minHistory(), forgetAfter))
                        .uid(Uids.STUCK_ACTIONS)
                        .name(Uids.STUCK_ACTIONS);
        SingleOutputStreamOperator<Anomaly> order =
                valid.filter(ActionOrder::concerns)
                        .uid(Uids.ORDER_EVENTS)
                        .name(Uids.ORDER_EVENTS)
                        .keyBy(ActionOrder::key)
                        .process(new ActionOrder(a.minHistory(), forgetAfter))
                        .uid(Uids.ACTION_ORDER)
                        .name(Uids.ACTION_ORDER);
        SingleOutputStreamOperator<Anomaly> overruns =
                runs.keyBy(CostOverrun::key)
                        .process(new CostOverrun(a.minHistory(), forgetAfter))
                        .uid(Uids.COST_OVERRUN)
                        .name(Uids.COST_OVERRUN);
        // one sustained spike per incident of a (workflow type, action type), whichever metrics
        // spiked (each resource metric still asks for its own capacity above)
        SingleOutputStreamOperator<Anomaly> spikeAlerts =
                Patterns.oncePerIncident(spikes.keyBy(Patterns::incidentKey), forgetAfter)
                        .uid(Uids.SPIKE_ALERTS)
                        .name(Uids.SPIKE_ALERTS);
        return new Detected(
                metricAnomalies.union(spikeAlerts, retryStorms, stuck, order, overruns), scaleUps);
    }

    /** Every anomaly, and the scale-ups sustained resource spikes ask for (null when off). */
    private record Detected(
            DataStream<Anomaly> anomalies, DataStream<AllocationCommand> scaleUps) {}

    /**
     * A sample that came after the watermark passed its minute: stored in action_samples, but not
     * in action_stats.
     */
    static DeadLetter lateSample(ActionSample s) {
        return DeadLetter.of(
                "action-stats-window",
                "action sample "
                        + s.eventId()
                        + " at "
                        + s.time()
                        + " came after its minute's statistics were written (watermark.out-of-orderness);"
                        + " it is stored in action_samples but not counted in action_stats",
                Instant.now(),
                Json.bytes(s));
    }
}
