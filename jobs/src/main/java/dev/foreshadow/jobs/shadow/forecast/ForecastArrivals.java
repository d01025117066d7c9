package dev.foreshadow.jobs.shadow.forecast;

import dev.foreshadow.connectors.history.PostgresSettings;
import dev.foreshadow.connectors.records.ExternalEvent;
import dev.foreshadow.connectors.records.TypeForecast;
import dev.foreshadow.connectors.records.WorkflowDependency;
import dev.foreshadow.jobs.common.JobMetrics;
import dev.foreshadow.jobs.common.SilentKeys;
import dev.foreshadow.models.demand.AnnouncedEvent;
import dev.foreshadow.models.demand.ArrivalsForecaster;
import dev.foreshadow.models.demand.Cascade;
import dev.foreshadow.models.demand.EventEffects;
import dev.foreshadow.models.demand.Outlooks;
import dev.foreshadow.models.demand.Seasons;
import dev.foreshadow.models.demand.SelectionForecaster;
import dev.foreshadow.models.demand.SimilarTypesPrior;
import dev.foreshadow.models.demand.TypeOutlook;
import dev.foreshadow.models.dependency.Dependency;
import dev.foreshadow.models.domain.WorkloadKey;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * {@code predictResourceNeeds}' arrivals half, per workflow type: keyed by type, it counts the
 * type's runs per bucket (and its parents' when a dependency is known) and at the end of every
 * bucket of event time forecasts the next {@code steps} buckets with the code {@code eval
 * allocation} runs ({@link Outlooks}: the forecaster, then the external events announced by the
 * origin, their effect learned from the type's past events of the kind, else the announced
 * magnitude; then the {@link Cascade} of the parents' expected starts, the type's own history taken
 * without them). The forecaster is the type's registered model once it has two seasons, else the
 * job's own choice, which says why; before two seasons, a prior from the tenant's types whose
 * arrivals over the cycle are closest ({@link SimilarTypesPrior}, from the broadcast {@link
 * ArrivalShape}s), and where none is, the cold start (naive, then seasonal naive). Each forecast is
 * scored once its horizon has passed: MASE against the in-sample seasonal naive error (Hyndman and
 * Koehler, "Another look at measures of forecast accuracy", IJF 22(4), 2006), smoothed per type
 * (weight 0.1); above {@code retrainMase} the type is marked for retraining.
 *
 * <p>An external event that arrives between two origins does not wait for the first origin after
 * its announcement (up to a bucket and the sources' out-of-orderness later): it revises at once the
 * last origin's forecast of each type it bears on within the horizon (its own, or a parent's in its
 * cascade), and counts as announced for that type from then on, its next origin included ({@link
 * #revise}).
 *
 * <p>In: {@link TypeArrivals} keyed by {@link TypeArrivals#key}; broadcast: {@link ForecastContext}
 * (accepted external events, dependency estimates, the tenants' types' arrival shapes). Out: one
 * {@link TypeForecast} per type per bucket (also through quiet buckets), timestamped at its origin,
 * and the revisions ({@link TypeForecast#revisedAt} set). A key silent for {@code forgetAfter}
 * leaves no state.
 */
public final class ForecastArrivals
        extends KeyedBroadcastProcessFunction<String, TypeArrivals, ForecastContext, TypeForecast> {

    private static final long serialVersionUID = 1L;

    /** Accepted external events and dependency estimates, by {@link ForecastContext#stateKey}. */
    public static final MapStateDescriptor<String, ForecastContext> CONTEXT =
            new MapStateDescriptor<>(
                    "forecast-context", Types.STRING, TypeInformation.of(ForecastContext.class));

    static final String COUNTS_STATE = "counts-by-type";
    static final String PENDING_STATE = "forecasts-to-score";
    static final String ERROR_STATE = "smoothed-mase";
    static final String NEXT_STATE = "next-forecast";
    static final String LAST_ARRIVAL_STATE = "last-arrival";
    static final String KNOWN_STATE = "events-revised-in";

    /**
     * How long a quiet type is still forecast after its last arrival (a type quiet at night is
     * forecast for its morning); its next arrival starts the forecasts again. It also bounds the
     * timers the final watermark of a drained job fires.
     */
    static final long QUIET_LIMIT_MS = Duration.ofDays(1).toMillis();

    /** Weight of the newest score in the smoothed MASE. */
    static final double SMOOTHING = 0.1;

    private final long stepMs;
    private final int steps;
    private final int refitSteps;
    private final int chooseSteps;
    private final double retrainMase;
    private final PostgresSettings registry;
    private final long registryPollMs;
    private final SilentKeys silentKeys;
    private final long forgetMs;

    /** The seasons and history length of the bucket ({@link Seasons#forStep}). */
    private transient Seasons seasons;

    /** Per type (own, parents): runs per bucket. */
    private transient MapState<String, StepCounts> counts;

    /** Forecasts whose horizon has not passed yet, oldest first. */
    private transient ListState<PastForecast> pending;

    /** The type's smoothed MASE, once a forecast was scored. */
    private transient ValueState<Double> error;

    /** The origin of the next forecast (its timer). */
    private transient ValueState<Long> next;

    /** The event time of the type's latest own arrivals. */
    private transient ValueState<Long> lastArrival;

    /**
     * The external events that revised the type's forecast before their announcement reached an
     * origin ({@link ForecastContext#stateKey}, to the event's end): announced for the type since.
     */
    private transient MapState<String, Long> known;

    private transient RegisteredModels models;
    private transient RegisteredForecaster forecaster;

    /**
     * @param registry the database holding the model registry, or null for none
     */
    public ForecastArrivals(
            ForecastSettings settings, PostgresSettings registry, Duration forgetAfter) {
        this.stepMs = settings.bucket().toMillis();
        this.steps = settings.steps();
        this.refitSteps = settings.refitSteps();
        this.chooseSteps = settings.chooseSteps();
        this.retrainMase = settings.retrainMase();
        this.registry = registry;
        this.registryPollMs = settings.registryPoll().toMillis();
        this.silentKeys = new SilentKeys(forgetAfter);
        this.forgetMs = forgetAfter.toMillis();
    }

    /**
     * The smoothed MASE of each workflow type this subtask forecast, read by the {@code
     * forecastError} gauge ({@link JobMetrics#forecastError}); a gauge per type, made when the type
     * is first scored.
     */
    private transient Map<String, Double> shownErrors;

    private void showError(String workflowType, double smoothedMase) {
        if (shownErrors.put(workflowType, smoothedMase) == null) {
            JobMetrics.forecastError(
                    getRuntimeContext().getMetricGroup(),
                    workflowType,
                    () -> shownErrors.getOrDefault(workflowType, Double.NaN));
        }
    }

    @Override
    public void open(OpenContext openContext) {
        shownErrors = new java.util.concurrent.ConcurrentHashMap<>();
        seasons = Seasons.forStep(stepMs);
        counts =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        COUNTS_STATE,
                                        Types.STRING,
                                        TypeInformation.of(StepCounts.class)));
        pending =
                getRuntimeContext()
                        .getListState(
                                new ListStateDescriptor<>(
                                        PENDING_STATE, TypeInformation.of(PastForecast.class)));
        error = getRuntimeContext().getState(new ValueStateDescriptor<>(ERROR_STATE, Types.DOUBLE));
        next = getRuntimeContext().getState(nextDescriptor());
        lastArrival =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>(LAST_ARRIVAL_STATE, Types.LONG));
        known =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(KNOWN_STATE, Types.STRING, Types.LONG));
        silentKeys.open(getRuntimeContext());
        models =
                new RegisteredModels(
                        registry, registryPollMs, (int) (stepMs / 60_000), InstantSource.system());
        forecaster =
                new RegisteredForecaster(
                        SelectionForecaster.forStep(stepMs, refitSteps, chooseSteps),
                        seasons.season(),
                        seasons.historySteps());
    }

    @Override
    public void processElement(TypeArrivals a, ReadOnlyContext ctx, Collector<TypeForecast> out)
            throws Exception {
        long t = a.arrivals().bucket().toEpochMilli();
        silentKeys.touch(t, ctx.timerService());
        String type = a.arrivals().typeKey().encoded();
        StepCounts c = counts.get(type);
        if (c == null) {
            c = new StepCounts(Math.floorDiv(t, stepMs) * stepMs);
        }
        c.add(t, a.arrivals().runs(), stepMs, seasons.historySteps());
        counts.put(type, c);
        if (a.own()) {
            Long last = lastArrival.value();
            lastArrival.update(last == null ? t : Math.max(last, t));
        }
        if (a.own() && next.value() == null) {
            long at = Math.floorDiv(t, stepMs) * stepMs + stepMs;
            next.update(at);
            ctx.timerService().registerEventTimeTimer(at);
        }
    }

    @Override
    public void processBroadcastElement(ForecastContext c, Context ctx, Collector<TypeForecast> out)
            throws Exception {
        var state = ctx.getBroadcastState(CONTEXT);
        state.put(c.stateKey(), c);
        if (c.shape() != null) {
            // a type whose shape was not renewed for a retention no longer runs
            long before = c.shape().asOfMs() - forgetMs;
            List<String> old = new ArrayList<>();
            for (Map.Entry<String, ForecastContext> e : state.entries()) {
                if (e.getValue().shape() != null && e.getValue().shape().asOfMs() < before) {
                    old.add(e.getKey());
                }
            }
            for (String k : old) {
                state.remove(k);
            }
        }
        if (c.event() != null) {
            // an event that ended a retention before the newest one started is history
            long before = c.event().start().toEpochMilli() - forgetMs;
            List<String> old = new ArrayList<>();
            for (Map.Entry<String, ForecastContext> e : state.entries()) {
                if (e.getValue().event() != null
                        && e.getValue().event().end().toEpochMilli() < before) {
                    old.add(e.getKey());
                }
            }
            for (String k : old) {
                state.remove(k);
            }
            revise(c, state, ctx, out);
        }
    }

    private static ValueStateDescriptor<Long> nextDescriptor() {
        return new ValueStateDescriptor<>(NEXT_STATE, Types.LONG);
    }

    /**
     * For the event {@code c} that just arrived, for each type of this subtask it bears on (naming
     * the type or a parent in its cascade): the event counts as announced for the type from the
     * last origin on ({@link #known}), as it is known before the next origin's forecast runs, even
     * when its announcement is stamped a little after that origin (a live event's clock runs ahead
     * of the watermark by the out-of-orderness); and if the type was forecast at the last origin
     * and the event overlaps that horizon, that forecast is revised now. The revision is stamped
     * with the event's announcement (at the earliest the origin) and goes to the Planner, which
     * re-plans the pool at once; it is not scored (the origin's own forecast is). An event
     * announced a bucket or more after the next origin (published ahead of its announcement, as a
     * replay may) is left to the origins its announcement reaches.
     */
    private void revise(
            ForecastContext c,
            ReadOnlyBroadcastState<String, ForecastContext> context,
            Context ctx,
            Collector<TypeForecast> out)
            throws Exception {
        ExternalEvent e = c.event();
        long startMs = e.start().toEpochMilli();
        long endMs = e.end().toEpochMilli();
        forecaster.use(models.current());
        ctx.applyToKeyedState(
                nextDescriptor(),
                (String self, ValueState<Long> nextOrigin) -> {
                    Long at = nextOrigin.value();
                    StepCounts own = counts.get(self);
                    if (at == null
                            || own == null
                            || c.announcedMs() >= at + stepMs
                            || !bearsOn(e, self, context)) {
                        return;
                    }
                    known.put(c.stateKey(), endMs);
                    long origin = at - stepMs;
                    if (startMs >= origin + steps * stepMs
                            || endMs <= origin
                            || !forecastAt(origin)) {
                        return;
                    }
                    out.collect(
                            forecast(
                                    self,
                                    own,
                                    origin,
                                    context,
                                    Instant.ofEpochMilli(Math.max(origin, c.announcedMs()))));
                });
    }

    /** Whether the current key was forecast at {@code origin} (its horizon not passed yet). */
    private boolean forecastAt(long origin) throws Exception {
        for (PastForecast p : pending.get()) {
            if (p.originMs == origin) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code e} names {@code self}, or a parent whose runs {@code self}'s cascade counts.
     */
    private boolean bearsOn(
            ExternalEvent e, String self, ReadOnlyBroadcastState<String, ForecastContext> context)
            throws Exception {
        if (ForecastContext.affects(e, WorkloadKey.decode(self))) {
            return true;
        }
        for (Map.Entry<String, ForecastContext> x : context.immutableEntries()) {
            WorkflowDependency d = x.getValue().dependency();
            if (d != null
                    && d.childKey().encoded().equals(self)
                    && counts.contains(d.parentKey().encoded())
                    && ForecastContext.affects(e, d.parentKey())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TypeForecast> out)
            throws Exception {
        if (silentKeys.expired(timestamp)) {
            Long at = next.value();
            if (at != null) {
                ctx.timerService().deleteEventTimeTimer(at);
            }
            counts.clear();
            pending.clear();
            error.clear();
            next.clear();
            lastArrival.clear();
            known.clear();
            return;
        }
        Long at = next.value();
        if (at == null || at != timestamp) {
            return;
        }
        StepCounts own = counts.get(ctx.getCurrentKey());
        if (own != null) {
            forecaster.use(models.current());
            out.collect(
                    forecast(
                            ctx.getCurrentKey(),
                            own,
                            timestamp,
                            ctx.getBroadcastState(CONTEXT),
                            null));
        }
        Long last = lastArrival.value();
        if (last != null && timestamp + stepMs - last <= QUIET_LIMIT_MS) {
            next.update(timestamp + stepMs);
            ctx.timerService().registerEventTimeTimer(timestamp + stepMs);
        } else {
            next.clear(); // quiet for a day: the next arrival starts the forecasts again
        }
    }

    /**
     * The forecast of {@code self} at {@code origin}; the origin's own ({@code revisedAt} null)
     * also scores the forecasts whose horizon has passed and is kept to be scored in turn.
     */
    private TypeForecast forecast(
            String self,
            StepCounts own,
            long origin,
            ReadOnlyBroadcastState<String, ForecastContext> context,
            Instant revisedAt)
            throws Exception {
        long first = own.firstStepMs;
        int n = (int) ((origin - first) / stepMs);
        List<String> types = new ArrayList<>();
        types.add(self);
        List<Dependency> dependencies = new ArrayList<>();
        List<ExternalEvent> events = new ArrayList<>();
        List<Long> announced = new ArrayList<>();
        Map<String, List<SimilarTypesPrior.Donor>> donors = new HashMap<>();
        for (Map.Entry<String, ForecastContext> e : context.immutableEntries()) {
            ForecastContext c = e.getValue();
            if (c.shape() != null) {
                ArrivalShape s = c.shape();
                donors.computeIfAbsent(s.tenant(), k -> new ArrayList<>())
                        .add(
                                new SimilarTypesPrior.Donor(
                                        s.typeKey().encoded(),
                                        s.typeKey().toString(),
                                        s.perSlot()));
            } else if (c.dependency() != null) {
                String parent = c.dependency().parentKey().encoded();
                if (c.dependency().childKey().encoded().equals(self)
                        && !parent.equals(self)
                        && counts.contains(parent)) {
                    dependencies.add(c.dependency().dependency());
                    types.add(parent);
                }
            } else if (c.event() != null) {
                events.add(c.event());
                // an event that revised this type's forecast is announced for it since
                announced.add(
                        known.contains(e.getKey())
                                ? Math.min(c.announcedMs(), origin)
                                : c.announcedMs());
            }
        }
        double[][] history = new double[types.size()][];
        for (int i = 0; i < types.size(); i++) {
            history[i] = counts.get(types.get(i)).between(first, origin, stepMs);
        }
        List<AnnouncedEvent> applied = new ArrayList<>();
        for (int j = 0; j < events.size(); j++) {
            ExternalEvent e = events.get(j);
            Set<String> affected = new HashSet<>();
            for (String t : types) {
                if (ForecastContext.affects(e, WorkloadKey.decode(t))) {
                    affected.add(t);
                }
            }
            if (!affected.isEmpty()) {
                applied.add(
                        new AnnouncedEvent(
                                e.kind(),
                                e.start().toEpochMilli(),
                                e.end().toEpochMilli(),
                                e.magnitude(),
                                affected,
                                announced.get(j)));
            }
        }
        applied.sort(Comparator.comparingLong(AnnouncedEvent::startMs));
        ArrivalsForecaster withPrior =
                new SimilarTypesPrior(
                        forecaster,
                        2 * seasons.season(),
                        Math.floorDiv(first, stepMs),
                        t -> donors.getOrDefault(WorkloadKey.decode(t).tenant(), List.of()));
        Outlooks outlooks =
                new Outlooks(withPrior, new EventEffects(), applied, first, stepMs, steps);
        Cascade cascade = new Cascade(dependencies, types, stepMs);
        TypeOutlook[] at = new TypeOutlook[types.size()];
        at[0] =
                outlooks.at(
                        self, cascade.isEmpty() ? history[0] : cascade.untriggered(0, history), n);
        for (int i = 1; i < types.size(); i++) {
            at[i] = outlooks.at(types.get(i), history[i], n);
        }
        TypeOutlook mine = cascade.apply(at, history, n)[0];

        // score the forecasts whose horizon has passed
        Instant scoredOrigin = null;
        double mase = Double.NaN;
        if (revisedAt == null) {
            List<PastForecast> waiting = new ArrayList<>();
            for (PastForecast p : pending.get()) {
                if (p.originMs + steps * stepMs > origin) {
                    waiting.add(p);
                    continue;
                }
                double score = mase(own, p, first);
                if (!Double.isNaN(score)) {
                    Double e = error.value();
                    error.update(e == null ? score : (1 - SMOOTHING) * e + SMOOTHING * score);
                    scoredOrigin = Instant.ofEpochMilli(p.originMs);
                    mase = score;
                }
            }
            waiting.add(new PastForecast(origin, mine.mean()));
            pending.update(waiting);
            List<String> over = new ArrayList<>();
            for (Map.Entry<String, Long> k : known.entries()) {
                if (k.getValue() <= origin) {
                    over.add(k.getKey());
                }
            }
            for (String k : over) {
                known.remove(k);
            }
        }
        // the dependencies name types by their Flink keys: say them as people read them
        List<String> cascaded = new ArrayList<>();
        for (String d : mine.dependencies()) {
            for (String t : types) {
                d = d.replace(t, WorkloadKey.decode(t).toString());
            }
            cascaded.add(d);
        }
        Double smoothed = error.value();
        WorkloadKey key = WorkloadKey.decode(self);
        if (smoothed != null) {
            showError(key.workflowType(), smoothed);
        }
        return new TypeForecast(
                Instant.ofEpochMilli(origin),
                key.tenant(),
                key.workflowType(),
                stepMs,
                mine.mean(),
                mine.variance(),
                mine.model(),
                forecaster.version(self, mine.model(), mine.why()),
                mine.why(),
                mine.events(),
                cascaded,
                scoredOrigin,
                mase,
                smoothed != null && smoothed > retrainMase,
                revisedAt);
    }

    /**
     * The forecast's mean absolute error over its horizon, divided by the in-sample mean absolute
     * error of the seasonal naive forecast before its origin (lag 1 while the history is shorter
     * than a season plus one); NaN when that scale is 0.
     */
    private double mase(StepCounts own, PastForecast p, long first) {
        double[] actual = own.between(p.originMs, p.originMs + p.mean.length * stepMs, stepMs);
        double[] before = own.between(first, p.originMs, stepMs);
        int lag = before.length > seasons.season() ? seasons.season() : 1;
        double scale = 0;
        for (int i = lag; i < before.length; i++) {
            scale += Math.abs(before[i] - before[i - lag]);
        }
        if (before.length <= lag || scale == 0) {
            return Double.NaN;
        }
        scale /= before.length - lag;
        double sum = 0;
        for (int i = 0; i < actual.length; i++) {
            sum += Math.abs(actual[i] - p.mean[i]);
        }
        return sum / actual.length / scale;
    }
}
