package dev.foreshadow.models.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.foreshadow.models.anomaly.SharedData;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class WfFormatTest {

    private static final String CHAIN =
            """
            {"name": "x", "schemaVersion": "1.5", "workflow": {
              "specification": {
                "tasks": [
                  {"id": "merge_ID3", "parents": ["split_ID1", "work_ID2"], "inputFiles": ["b"],
                   "outputFiles": []},
                  {"id": "work_ID2", "parents": ["split_ID1"], "inputFiles": ["a"],
                   "outputFiles": ["b"]},
                  {"id": "split_ID1", "parents": [], "inputFiles": [], "outputFiles": ["a"]}
                ],
                "files": [{"id": "a", "sizeInBytes": 1000}, {"id": "b", "sizeInBytes": 2.5E3}]
              },
              "execution": {"tasks": [
                {"id": "split_ID1", "runtimeInSeconds": 2.5, "avgCPU": 180.0,
                 "memoryInBytes": 1048576, "command": {"program": "split"}},
                {"id": "work_ID2", "runtimeInSeconds": 0.001, "coreCount": 4, "readBytes": 7},
                {"id": "merge_ID3"}
              ]}
            }}
            """;

    @Test
    void readsTheDagInTopologicalOrderWithWhatEachTaskUsed() {
        WfWorkflow w =
                WfFormat.parse(
                        "chain-chameleon-3-001.json", CHAIN.getBytes(StandardCharsets.UTF_8));

        assertThat(w.name()).isEqualTo("chain");
        assertThat(w.tasks())
                .extracting(WfTask::id)
                .containsExactly("split_ID1", "work_ID2", "merge_ID3");
        WfTask split = w.tasks().get(0);
        assertThat(split.actionType()).isEqualTo("split");
        assertThat(split.runtimeSeconds()).isEqualTo(2.5);
        assertThat(split.cores()).isEqualTo(2); // 180% of a core, rounded
        assertThat(split.memoryBytes()).isEqualTo(1 << 20);
        assertThat(split.writtenBytes()).isEqualTo(1000); // its output files, when not reported
        WfTask work = w.tasks().get(1);
        assertThat(work.actionType()).isEqualTo("work"); // the id without its number
        assertThat(work.runtimeSeconds()).isEqualTo(0.01); // at least 10 ms
        assertThat(work.cores()).isEqualTo(4);
        assertThat(work.readBytes()).isEqualTo(7);
        assertThat(work.outputBytes()).isEqualTo(2500);
        WfTask merge = w.tasks().get(2);
        assertThat(merge.runtimeSeconds()).isEqualTo(1.0); // no execution record: 1 s, 100%
        assertThat(merge.cores()).isEqualTo(1);
        assertThat(merge.parents()).containsExactly("split_ID1", "work_ID2");
    }

    @Test
    void rejectsACycleAndAFileThatIsNotWfFormatNamingTheFile() {
        String cycle =
                """
                {"workflow": {"specification": {"tasks": [
                  {"id": "a", "parents": ["b"]}, {"id": "b", "parents": ["a"]}]},
                 "execution": {"tasks": []}}}
                """;
        assertThatThrownBy(() -> WfFormat.parse("c.json", cycle.getBytes(StandardCharsets.UTF_8)))
                .hasMessage("c.json: the task graph has a cycle");
        assertThatThrownBy(() -> WfFormat.parse("x.json", "{}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("x.json is not a WfFormat 1.5 instance");
        assertThatThrownBy(() -> WfFormat.parse("y.json", "{".getBytes(StandardCharsets.UTF_8)))
                .hasMessageStartingWith("y.json is not JSON");
    }

    @Test
    void readsEveryInstanceOfTheSharedWfCommonsData() throws Exception {
        List<WfWorkflow> all = WfFormat.read(SharedData.dir("wfcommons"));

        assertThat(all).hasSize(48);
        assertThat(all.stream().map(WfWorkflow::name).distinct())
                .contains("1000genome", "blast", "soykb", "helloworld-chain-5");
        assertThat(all.stream().mapToInt(w -> w.tasks().size()).sum())
                .isEqualTo(11422); // as instances_index.csv counts them
    }
}
