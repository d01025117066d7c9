package dev.foreshadow.jobs.shadow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.transformations.PartitionTransformation;
import org.apache.flink.streaming.api.transformations.SideOutputTransformation;
import org.apache.flink.streaming.api.transformations.UnionTransformation;
import org.junit.jupiter.api.Test;

/**
 * Savepoints survive upgrades only if every stateful step keeps its uid: each operator of ShadowJob
 * has one.
 */
class ShadowJobGraphTest {

    @Test
    void everyOperatorHasAUidAndAName() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        ShadowJob.of(ShadowSettings.from(ShadowSettings.load(null, Map.of()))).build(env);

        var transformations =
                env.getTransformations().stream()
                        .flatMap(t -> t.getTransitivePredecessors().stream())
                        .distinct()
                        // keyBy, union and side outputs are not operators: they hold no state and
                        // take no uid
                        .filter(
                                t ->
                                        !(t instanceof PartitionTransformation)
                                                && !(t instanceof UnionTransformation)
                                                && !(t instanceof SideOutputTransformation))
                        .toList();

        assertThat(transformations).hasSizeGreaterThan(20);
        assertThat(transformations)
                .allSatisfy(
                        t -> {
                            assertThat(t.getUid()).as("uid of " + t.getName()).isNotBlank();
                            assertThat(t.getName()).isNotBlank();
                        });
        assertThat(transformations.stream().map(Transformation::getUid).distinct().count())
                .as("uids are unique")
                .isEqualTo(transformations.size());
    }

    @Test
    void noRecordBetweenOperatorsFallsBackToKryo() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        ShadowJob.of(ShadowSettings.from(ShadowSettings.load(null, Map.of()))).build(env);

        assertThat(env.getConfig().getSerializerConfig().hasGenericTypesDisabled()).isTrue();
        assertThat(
                        env.getTransformations().stream()
                                .flatMap(t -> t.getTransitivePredecessors().stream())
                                .distinct())
                .allSatisfy(
                        t ->
                                assertThat(t.getOutputType())
                                        .as("output of " + t.getName())
                                        .isNotInstanceOf(GenericTypeInfo.class));
    }

    @Test
    void theShadowsTaskWaitsForNoHistoryWrite() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        ShadowJob.of(ShadowSettings.from(ShadowSettings.load(null, Map.of()))).build(env);

        List<String> tasks = new ArrayList<>();
        for (JobVertex v : env.getStreamGraph().getJobGraph().getVertices()) {
            tasks.add(v.getName());
        }

        // a task is named by its chain, head first: "shadow -> ..."
        assertThat(tasks)
                .filteredOn(t -> t.equals(Uids.SHADOW) || t.startsWith(Uids.SHADOW + " -> "))
                .singleElement()
                .asString()
                .doesNotContain(Uids.ACTION_SAMPLES_SINK)
                .doesNotContain(Uids.WORKFLOW_RUNS_SINK);
        assertThat(tasks).anyMatch(t -> t.startsWith(Uids.ACTION_SAMPLES_SINK));
        assertThat(tasks).anyMatch(t -> t.startsWith(Uids.WORKFLOW_RUNS_SINK));
    }
}
