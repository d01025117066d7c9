package dev.foreshadow.jobs.shadow.forecast;

import dev.foreshadow.connectors.records.Arrivals;
import dev.foreshadow.connectors.records.WorkflowDependency;
import java.util.Map;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Addresses each minute's arrivals to the Forecast keys that need them: the type's own, and each
 * child type it is known to start (the cascade forecasts the child from its parents' arrivals). In:
 * {@link Arrivals}, and on the broadcast side the {@link ForecastContext}s (dependencies are kept,
 * events ignored). Out: {@link TypeArrivals}.
 */
public final class RouteArrivals
        extends BroadcastProcessFunction<Arrivals, ForecastContext, TypeArrivals> {

    private static final long serialVersionUID = 1L;

    /** The dependencies in force, by parent and child. */
    public static final MapStateDescriptor<String, ForecastContext> ROUTES =
            new MapStateDescriptor<>(
                    "arrival-routes", Types.STRING, TypeInformation.of(ForecastContext.class));

    @Override
    public void processElement(Arrivals a, ReadOnlyContext ctx, Collector<TypeArrivals> out)
            throws Exception {
        String parent = a.typeKey().encoded();
        out.collect(new TypeArrivals(parent, a));
        for (Map.Entry<String, ForecastContext> e :
                ctx.getBroadcastState(ROUTES).immutableEntries()) {
            WorkflowDependency d = e.getValue().dependency();
            if (d.parentKey().encoded().equals(parent)) {
                out.collect(new TypeArrivals(d.childKey().encoded(), a));
            }
        }
    }

    @Override
    public void processBroadcastElement(ForecastContext c, Context ctx, Collector<TypeArrivals> out)
            throws Exception {
        if (c.dependency() != null) {
            ctx.getBroadcastState(ROUTES).put(c.stateKey(), c);
        }
    }
}
