package dev.foreshadow.jobs.shadow.forecast;

import dev.foreshadow.connectors.records.Arrivals;
import dev.foreshadow.jobs.common.SilentKeys;
import dev.foreshadow.models.demand.Seasons;
import dev.foreshadow.models.demand.SimilarTypesPrior;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * What the prior of a new workflow type rests on ({@link SimilarTypesPrior}), per tenant: each of
 * its types' runs per slot of the cycle (the long season of the forecast's step, a day for steps of
 * 5 minutes; the season when there is no long one). A type with two cycles of history is published
 * as an {@link ArrivalShape}, and again every season of new history, for the Forecast operators to
 * broadcast.
 *
 * <p>In: the minute {@link Arrivals}, keyed by tenant. Out: {@link ForecastContext}s holding an
 * {@link ArrivalShape}. A type silent for {@code forgetAfter} is dropped when its tenant next
 * publishes; a tenant silent for it leaves no state.
 */
public final class ArrivalShapes extends KeyedProcessFunction<String, Arrivals, ForecastContext> {

    private static final long serialVersionUID = 1L;

    static final String CYCLES_STATE = "cycles-by-type";

    private final long stepMs;
    private final int slots;
    private final int publishEvery;
    private final long forgetSteps;
    private final SilentKeys silentKeys;

    /** Per workflow type of the tenant (its key), its runs per slot of the cycle. */
    private transient MapState<String, ArrivalCycle> cycles;

    public ArrivalShapes(Duration step, Duration forgetAfter) {
        this.stepMs = step.toMillis();
        Seasons s = Seasons.forStep(stepMs);
        this.slots = s.longSeason() > 0 ? s.longSeason() : s.season();
        this.publishEvery = s.season();
        this.forgetSteps = forgetAfter.toMillis() / stepMs;
        this.silentKeys = new SilentKeys(forgetAfter);
    }

    /** The Flink key: the tenant. */
    public static String key(Arrivals a) {
        return a.tenant();
    }

    @Override
    public void open(OpenContext openContext) {
        cycles =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        CYCLES_STATE,
                                        Types.STRING,
                                        TypeInformation.of(ArrivalCycle.class)));
        silentKeys.open(getRuntimeContext());
    }

    @Override
    public void processElement(Arrivals a, Context ctx, Collector<ForecastContext> out)
            throws Exception {
        long t = a.bucket().toEpochMilli();
        silentKeys.touch(t, ctx.timerService());
        long step = Math.floorDiv(t, stepMs);
        String type = a.typeKey().encoded();
        ArrivalCycle c = cycles.get(type);
        if (c == null) {
            c = new ArrivalCycle(step, slots);
        }
        c.add(step, a.runs());
        boolean due =
                c.steps() >= 2L * slots
                        && (c.publishedStep == Long.MIN_VALUE
                                || step - c.publishedStep >= publishEvery);
        if (due) {
            c.publishedStep = step;
            out.collect(
                    ForecastContext.of(
                            new ArrivalShape(
                                    a.tenant(), a.workflowType(), step * stepMs, c.perSlot())));
            forgetSilentTypes(step);
        }
        cycles.put(type, c);
    }

    private void forgetSilentTypes(long step) throws Exception {
        List<String> silent = new ArrayList<>();
        for (Map.Entry<String, ArrivalCycle> e : cycles.entries()) {
            if (e.getValue().lastStep < step - forgetSteps) {
                silent.add(e.getKey());
            }
        }
        for (String k : silent) {
            cycles.remove(k);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ForecastContext> out)
            throws Exception {
        if (silentKeys.expired(timestamp)) {
            cycles.clear();
        }
    }
}
