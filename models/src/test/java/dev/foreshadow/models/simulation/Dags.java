package dev.foreshadow.models.simulation;

import dev.foreshadow.models.workload.WfTask;
import dev.foreshadow.models.workload.WfWorkflow;
import java.util.Arrays;
import java.util.List;

/** Tiny workflows and workloads whose simulation can be checked by hand. */
final class Dags {

    private Dags() {}

    /** A task of {@code seconds} on {@code cores} cores, after {@code parents}. */
    static WfTask task(String id, double seconds, int cores, String... parents) {
        return new WfTask(id, id, List.of(parents), seconds, 100.0 * cores, cores, 0, 0, 0, 0, 0);
    }

    static Template template(int instanceCores, WfTask... tasks) {
        return new Template(
                new WfWorkflow("w", "w.json", Arrays.asList(tasks)), instanceCores, 32 * 1024);
    }

    /** Runs of one template starting at the given seconds. */
    static Workload runs(Template t, double... startSeconds) {
        long[] starts = new long[startSeconds.length];
        for (int i = 0; i < starts.length; i++) {
            starts[i] = Math.round(startSeconds[i] * 1000);
        }
        return Workload.of(List.of(t), starts, new int[starts.length], new int[starts.length]);
    }

    /** An instance shape of {@code cores} cores, lead of boot + warm-up seconds, no failures. */
    static InstanceShape shape(int cores, double bootSeconds, double warmupSeconds) {
        return new InstanceShape(
                cores,
                32L << 30,
                Math.round(bootSeconds * 1000),
                Math.round(warmupSeconds * 1000),
                0,
                1.0);
    }

    /** A policy that asks for {@code instances} at the start and never changes them. */
    static Policy fixed(int instances) {
        return new Policy() {
            @Override
            public String name() {
                return "fixed";
            }

            @Override
            public long periodMs() {
                return 0;
            }

            @Override
            public void start(Cluster cluster, long now) {
                cluster.scaleTo(instances);
            }
        };
    }

    static SimulationResult simulate(
            Workload w, InstanceShape shape, Policy p, double fromSeconds, double toSeconds) {
        long from = Math.round(fromSeconds * 1000);
        long to = Math.round(toSeconds * 1000);
        return new Cluster(w, shape, p, from, from, to, 1, 10).run(t -> {});
    }
}
