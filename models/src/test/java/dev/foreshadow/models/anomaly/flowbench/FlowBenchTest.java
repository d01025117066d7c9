package dev.foreshadow.models.anomaly.flowbench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.foreshadow.models.anomaly.ActionScorer;
import dev.foreshadow.models.anomaly.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlowBenchTest {

    @Test
    void readsEveryLabelledTaskOfThePublishedRuns() {
        List<FlowBench.Task> tasks = FlowBench.load(SharedData.dir("flowbench"));
        Map<String, Long> byLabel =
                tasks.stream()
                        .collect(
                                Collectors.groupingBy(
                                        FlowBench.Task::label, Collectors.counting()));
        assertThat(byLabel.keySet())
                .containsExactlyInAnyOrder("None", "cpu_2", "cpu_3", "hdd_5", "hdd_10");
        assertThat(tasks.stream().map(FlowBench.Task::workflowType).distinct())
                .containsExactlyInAnyOrder("1000genome", "somospie");
        assertThat(tasks).allSatisfy(t -> assertThat(t.metrics()[0]).isNotNaN());
    }

    @Test
    void findsASlowTaskAndCountsFalsePositivesOnlyInRunsWithThatLabel(@TempDir Path dir)
            throws IOException {
        Files.createDirectories(dir.resolve("data"));
        StringBuilder normal =
                new StringBuilder(",anomaly_type,execute_end,runtime,kickstart_transformations\n");
        for (int i = 0; i < 60; i++) {
            normal.append("t_ID")
                    .append(i)
                    .append(",None,")
                    .append(1000 + i * 10)
                    .append(',')
                    .append(100 + i % 3)
                    .append(",crop\n");
        }
        Files.writeString(dir.resolve("data/demo_run1.csv"), normal);
        Files.writeString(
                dir.resolve("data/demo_run2.csv"),
                ",anomaly_type,execute_end,runtime,kickstart_transformations\n"
                        + "x_ID1,hdd_5,5000,900,crop\n"
                        + "x_ID2,None,5010,101,crop\n"
                        + "x_ID3,cpu_2,5020,101,crop\n");
        FlowBench.Evaluation result =
                FlowBench.evaluate(FlowBench.load(dir), ActionScorer.AlertRule.DEFAULT, n -> {});
        List<FlowBench.Stats> stats = result.all();
        Map<String, FlowBench.Stats> byLabel =
                stats.stream()
                        .collect(Collectors.toMap(FlowBench.Stats::label, Function.identity()));
        assertThat(byLabel.get("hdd_5")).isEqualTo(new FlowBench.Stats("hdd_5", 1, 1, 0, 0));
        assertThat(byLabel.get("cpu_2")).isEqualTo(new FlowBench.Stats("cpu_2", 1, 0, 0, 1));
        assertThat(byLabel.get("overall")).isEqualTo(new FlowBench.Stats("overall", 2, 1, 0, 1));
        assertThat(byLabel.get("overall").precision()).isEqualTo(1.0);
        assertThat(byLabel.get("overall").recall()).isEqualTo(0.5);
        assertThat(stats.get(stats.size() - 1).label()).isEqualTo("overall");
        // run2 is the second run of its folder: held out, with every labelled task
        assertThat(result.heldOut()).isEqualTo(stats);
        assertThat(result.development())
                .containsExactly(new FlowBench.Stats("overall", 0, 0, 0, 0));
    }

    @Test
    void holdsOutEverySecondRunOfEachFolderByName() {
        List<FlowBench.Task> tasks = new java.util.ArrayList<>();
        for (String run :
                List.of(
                        "a.zip!parsed/x/run3.csv",
                        "a.zip!parsed/x/run1.csv",
                        "a.zip!parsed/x/run2.csv",
                        "a.zip!parsed/y/run9.csv",
                        "b.zip!run1.csv",
                        "b.zip!run2.csv")) {
            tasks.add(new FlowBench.Task("w", run, "t", "None", 0, new double[6]));
        }
        assertThat(FlowBench.heldOutRuns(tasks))
                .containsExactlyInAnyOrder("a.zip!parsed/x/run2.csv", "b.zip!run2.csv");
    }

    @Test
    void rejectsAFolderWithoutRuns(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> FlowBench.load(dir)).hasMessageContaining("data");
        Files.createDirectories(dir.resolve("data"));
        assertThatThrownBy(() -> FlowBench.load(dir)).hasMessageContaining("no FlowBench runs");
    }

    @Test
    void splitsQuotedCsvCells() {
        assertThat(FlowBench.splitCsv("a,\"b,c\",\"d\"\"e\","))
                .containsExactly("a", "b,c", "d\"e", "");
    }
}
