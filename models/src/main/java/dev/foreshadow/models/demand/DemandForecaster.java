package dev.foreshadow.models.demand;

import static dev.foreshadow.models.demand.ResourceProfile.Resource.NETWORK_BYTES_PER_SECOND;

import dev.foreshadow.models.demand.ResourceProfile.Moments;
import dev.foreshadow.models.demand.ResourceProfile.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code predictResourceNeeds}: the demand of one pool at moments ahead, as the sum over its
 * workflow types of the runs already in flight (each at its offset in the type's {@link
 * ResourceProfile}, given that it is still running, and where the actions it has ended are known,
 * given those too: {@link ResourceProfile#progressed}) and of the runs still to arrive ({@link
 * TypeOutlook}: events and cascade included), each arrival spread uniformly over its step and
 * carrying the profile's demand at its offset.
 *
 * <p>For a step whose count N has mean m and variance v, the demand X of one arrival at the moment
 * has mean mu and second moment s over the offsets it may have; the step adds {@code m mu} to the
 * mean and {@code m (s - mu^2) + v mu^2} to the variance (the variance of a random sum, Feller, An
 * Introduction to Probability Theory and Its Applications I, XII.1). Runs are independent, so means
 * and variances add.
 */
public final class DemandForecaster {

    private final ResourceProfile[] profiles;

    /**
     * @param profiles per workflow type index, the type's profile
     */
    public DemandForecaster(ResourceProfile[] profiles) {
        this.profiles = profiles.clone();
    }

    /**
     * The demand at each of {@code atMs} (all at or after {@code now}).
     *
     * @param runType the type index of each run in flight, {@code [0, runs)}
     * @param runStartMs when each started
     * @param outlooks per type index, its outlook at the current origin (null: the type has no runs
     *     expected, e.g. it is not routed to this pool)
     */
    public PoolDemand forecast(
            long now,
            long[] atMs,
            int[] runType,
            long[] runStartMs,
            int runs,
            TypeOutlook[] outlooks) {
        return forecast(now, atMs, runType, runStartMs, null, runs, outlooks);
    }

    /**
     * The demand at each of {@code atMs}, the runs in flight given as groups: entry {@code r}
     * stands for {@code runCount[r]} runs of type {@code runType[r]} that all started at {@code
     * runStartMs[r]} (independent, so the group adds {@code n} times one run's mean and variance).
     *
     * @param runCount per entry the runs it stands for (null: one each)
     */
    public PoolDemand forecast(
            long now,
            long[] atMs,
            int[] runType,
            long[] runStartMs,
            int[] runCount,
            int runs,
            TypeOutlook[] outlooks) {
        return forecast(now, atMs, runType, runStartMs, runCount, null, runs, outlooks);
    }

    /**
     * The demand at each of {@code atMs}, the runs in flight given as groups that have also each
     * ended {@code runDone[r]} actions (null: not known, each run placed by its age alone).
     */
    public PoolDemand forecast(
            long now,
            long[] atMs,
            int[] runType,
            long[] runStartMs,
            int[] runCount,
            int[] runDone,
            int runs,
            TypeOutlook[] outlooks) {
        int n = atMs.length;
        double[] meanCores = new double[n];
        double[] varCores = new double[n];
        double[] meanMemory = new double[n];
        double[] varMemory = new double[n];
        double inFlight = 0;
        double arrivals = 0;
        double network = 0;
        for (int i = 0; i < n; i++) {
            long at = atMs[i];
            for (int r = 0; r < runs; r++) {
                ResourceProfile p = profiles[runType[r]];
                long age = now - runStartMs[r];
                long offset = at - runStartMs[r];
                double w = runCount == null ? 1 : runCount[r];
                int done = runDone == null ? -1 : runDone[r];
                Moments c = demand(p, Resource.CORES, offset, age, done);
                Moments m = demand(p, Resource.MEMORY_BYTES, offset, age, done);
                meanCores[i] += w * c.mean();
                varCores[i] += w * c.variance();
                meanMemory[i] += w * m.mean();
                varMemory[i] += w * m.variance();
                if (i == 0) {
                    network += w * demand(p, NETWORK_BYTES_PER_SECOND, offset, age, done).mean();
                }
            }
            if (i == 0) {
                inFlight = meanCores[0];
            }
            for (int k = 0; k < outlooks.length; k++) {
                TypeOutlook o = outlooks[k];
                if (o == null) {
                    continue;
                }
                ResourceProfile p = profiles[k];
                for (int h = 0; h < o.horizon(); h++) {
                    long from = Math.max(now, o.originMs() + h * o.stepMs());
                    long to = Math.min(at, o.originMs() + (h + 1) * o.stepMs());
                    if (to <= from) {
                        continue;
                    }
                    double f = (double) (to - from) / o.stepMs();
                    double count = o.mean()[h] * f;
                    double countVariance = o.variance()[h] * f * f + o.mean()[h] * f * (1 - f);
                    // an arrival at u in [from, to) is at offset at - u in (at - to, at - from]
                    Moments c = p.average(Resource.CORES, at - to, at - from);
                    Moments m = p.average(Resource.MEMORY_BYTES, at - to, at - from);
                    meanCores[i] += count * c.mean();
                    varCores[i] += count * c.variance() + countVariance * c.mean() * c.mean();
                    meanMemory[i] += count * m.mean();
                    varMemory[i] += count * m.variance() + countVariance * m.mean() * m.mean();
                    if (i == 0) {
                        network +=
                                count
                                        * p.average(NETWORK_BYTES_PER_SECOND, at - to, at - from)
                                                .mean();
                    }
                }
            }
            if (i == 0) {
                arrivals = meanCores[0] - inFlight;
            }
        }
        TreeMap<String, String> models = new TreeMap<>();
        TreeSet<String> events = new TreeSet<>();
        List<String> dependencies = new ArrayList<>();
        boolean available = true;
        for (TypeOutlook o : outlooks) {
            if (o == null) {
                continue;
            }
            models.put(o.type(), o.model() + ": " + o.why());
            o.events().forEach(e -> events.add(o.type() + " " + e));
            dependencies.addAll(o.dependencies());
            available &= o.available();
        }
        return new PoolDemand(
                atMs.clone(),
                meanCores,
                varCores,
                meanMemory,
                varMemory,
                network,
                inFlight,
                arrivals,
                models,
                new ArrayList<>(events),
                dependencies,
                available);
    }

    /** A run's demand at {@code offset} from its start: by progress when known (done >= 0). */
    private static Moments demand(
            ResourceProfile p, Resource resource, long offset, long age, int done) {
        return done < 0
                ? p.conditional(resource, offset, age)
                : p.progressed(resource, offset - age, age, done);
    }
}
