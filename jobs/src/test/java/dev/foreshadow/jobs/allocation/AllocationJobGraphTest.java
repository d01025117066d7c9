package dev.foreshadow.jobs.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.CompositeType;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.transformations.PartitionTransformation;
import org.apache.flink.streaming.api.transformations.SideOutputTransformation;
import org.apache.flink.streaming.api.transformations.UnionTransformation;
import org.junit.jupiter.api.Test;

/**
 * Savepoints survive upgrades only if every step keeps its uid, and state and records change shape
 * safely only without Kryo: every operator of AllocationJob has a uid and a name, and no stream
 * carries a type Flink would serialize with Kryo.
 */
class AllocationJobGraphTest {

    private static List<Transformation<?>> transformations(StreamExecutionEnvironment env) {
        AllocationJob.of(
                        AllocationSettings.from(
                                AllocationSettings.load(
                                        null,
                                        Map.of(
                                                "allocation.pools", "shop/orders",
                                                "allocation.pool.shop/orders.manager", "simulated",
                                                "job.max-parallelism", "64"))))
                .build(env);
        return env.getTransformations().stream()
                .flatMap(t -> t.getTransitivePredecessors().stream())
                .distinct()
                .<Transformation<?>>map(t -> t)
                .toList();
    }

    @Test
    void everyOperatorHasAUniqueUidAndANameAndTheMaxParallelismIsSet() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        List<Transformation<?>> operators =
                transformations(env).stream()
                        // keyBy, union and side outputs are not operators: no state, no uid
                        .filter(
                                t ->
                                        !(t instanceof PartitionTransformation)
                                                && !(t instanceof UnionTransformation)
                                                && !(t instanceof SideOutputTransformation))
                        .toList();

        assertThat(operators).hasSizeGreaterThanOrEqualTo(11);
        assertThat(operators)
                .allSatisfy(
                        t -> {
                            assertThat(t.getUid()).as("uid of " + t.getName()).isNotBlank();
                            assertThat(t.getName()).isNotBlank();
                        });
        assertThat(operators.stream().map(Transformation::getUid).distinct().count())
                .as("uids are unique")
                .isEqualTo(operators.size());
        assertThat(env.getConfig().getMaxParallelism()).isEqualTo(64);
    }

    @Test
    void noStreamIsSerializedByKryo() {
        for (Transformation<?> t :
                transformations(StreamExecutionEnvironment.getExecutionEnvironment())) {
            if (t.getName().contains("Sink") || t.getName().endsWith("-sink")) {
                continue; // a sink's committables are its own
            }
            assertThat(generic(t.getOutputType()))
                    .as(t.getName() + ": " + t.getOutputType())
                    .isEmpty();
        }
    }

    private static List<TypeInformation<?>> generic(TypeInformation<?> type) {
        List<TypeInformation<?>> out = new ArrayList<>();
        if (type instanceof GenericTypeInfo<?>) {
            out.add(type);
        } else if (type instanceof CompositeType<?> c) {
            for (int i = 0; i < c.getArity(); i++) {
                out.addAll(generic(c.getTypeAt(i)));
            }
        }
        type.getGenericParameters().values().forEach(p -> out.addAll(generic(p)));
        return out;
    }
}
