package dev.foreshadow.models.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.foreshadow.models.demand.AnnouncedEvent;
import dev.foreshadow.models.workload.WfTask;
import dev.foreshadow.models.workload.WfWorkflow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AllocationEvaluationTest {

    private static final long HOUR = 3600_000;

    /** Two types over 4 days, hourly, with a daily cycle; the second has gaps. */
    private static ArrivalTrace trace(Path dir) throws IOException {
        StringBuilder csv = new StringBuilder("timestamp,workflow_type,count\n");
        for (int h = 0; h < 96; h++) {
            String t = Instant.ofEpochMilli(h * HOUR).toString();
            int day = (int) Math.round(6 + 5 * Math.sin(2 * Math.PI * (h % 24) / 24));
            csv.append(t).append(",alpha,").append(day).append('\n');
            if (h % 3 == 0) {
                csv.append(t).append(",beta,").append(day / 2).append('\n');
            }
        }
        Path file = dir.resolve("arrivals.csv");
        Files.writeString(file, csv.toString());
        return ArrivalTrace.read(file);
    }

    /** A fan-out of n one-core tasks of {@code seconds} after a 5 s task, then a 10 s merge. */
    private static WfWorkflow fanOut(String file, int n, double seconds) {
        List<WfTask> tasks = new ArrayList<>();
        tasks.add(Dags.task("split", 5, 1));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tasks.add(Dags.task("work" + i, seconds, 1 + i % 2, "split"));
            ids.add("work" + i);
        }
        tasks.add(Dags.task("merge", 10, 1, ids.toArray(String[]::new)));
        return new WfWorkflow(file.replaceAll("-chameleon.*", ""), file, tasks);
    }

    private static final List<WfWorkflow> WORKFLOWS =
            List.of(
                    fanOut("fan-chameleon-a.json", 12, 300),
                    fanOut("fan-chameleon-b.json", 40, 60),
                    fanOut("wide-chameleon-a.json", 30, 900));

    private static AllocationEvaluation.Settings settings(AllocationEvaluation.Part part) {
        return AllocationEvaluation.Settings.defaults().withPart(part);
    }

    @Test
    void aFixedSeedGivesIdenticalResultsTwice(@TempDir Path dir) throws Exception {
        ArrivalTrace t = trace(dir);
        List<AnnouncedEvent> rain =
                List.of(
                        new AnnouncedEvent(
                                "weather", 80 * HOUR, 82 * HOUR, 3, Set.of("alpha"), 56 * HOUR));

        AllocationEvaluation.Report first =
                AllocationEvaluation.run(
                        t,
                        WORKFLOWS,
                        rain,
                        settings(AllocationEvaluation.Part.HELD_OUT),
                        (p, d) -> {});
        AllocationEvaluation.Report second =
                AllocationEvaluation.run(
                        t,
                        WORKFLOWS,
                        rain,
                        settings(AllocationEvaluation.Part.HELD_OUT),
                        (p, d) -> {});

        assertThat(first.results()).hasSize(4);
        assertThat(first.results())
                .extracting(SimulationResult::policy)
                .containsExactly("reactive", "hybrid", "foreshadow", "oracle");
        for (int i = 0; i < 4; i++) {
            SimulationResult a = first.results().get(i);
            SimulationResult b = second.results().get(i);
            assertThat(b.instanceHours()).isEqualTo(a.instanceHours());
            assertThat(b.waitSeconds()).isEqualTo(a.waitSeconds());
            assertThat(b.waitSecondsByType()).containsExactly(a.waitSecondsByType());
            assertThat(b.p99DelaySeconds()).isEqualTo(a.p99DelaySeconds());
            assertThat(b.coldStarts()).isEqualTo(a.coldStarts());
            assertThat(b.events()).isEqualTo(a.events());
            assertThat(b.timeline().paidInstances()).containsExactly(a.timeline().paidInstances());
            assertThat(b.notes()).isEqualTo(a.notes());
            assertThat(a.tasks()).isGreaterThan(0);
        }
        assertThat(second.demandCores()).containsExactly(first.demandCores());
        // the oracle never pays more than the policies that wait more than it does
        assertThat(first.result("oracle").waitSeconds())
                .isLessThanOrEqualTo(first.result("reactive").waitSeconds());
    }

    @Test
    void thePartsSplitTheTraceAtSeventyPercentAndMeasureAfterAWarmUp(@TempDir Path dir)
            throws Exception {
        ArrivalTrace t = trace(dir);

        AllocationEvaluation.Report dev =
                AllocationEvaluation.run(
                        t,
                        WORKFLOWS,
                        List.of(),
                        settings(AllocationEvaluation.Part.DEVELOPMENT),
                        (p, d) -> {});
        AllocationEvaluation.Report held =
                AllocationEvaluation.run(
                        t,
                        WORKFLOWS,
                        List.of(),
                        settings(AllocationEvaluation.Part.HELD_OUT),
                        (p, d) -> {});

        long split = (long) Math.floor(96 * 0.7) * HOUR; // hour 67
        assertThat(dev.splitMs()).isEqualTo(split);
        assertThat(dev.measureFromMs()).isEqualTo(AllocationEvaluation.WARM_UP_MS);
        assertThat(dev.measureToMs()).isEqualTo(split);
        assertThat(held.measureFromMs()).isEqualTo(split);
        assertThat(held.measureToMs()).isEqualTo(96 * HOUR);
        // types map by sorted order onto the workflow names: alpha -> fan, beta -> wide
        assertThat(dev.mapping()).containsEntry("alpha", "fan").containsEntry("beta", "wide");
    }

    @Test
    void aTraceWithoutWorkflowsIsRejected(@TempDir Path dir) throws Exception {
        ArrivalTrace t = trace(dir);

        assertThatThrownBy(
                        () ->
                                AllocationEvaluation.run(
                                        t,
                                        List.of(),
                                        List.of(),
                                        settings(AllocationEvaluation.Part.HELD_OUT),
                                        (p, d) -> {}))
                .hasMessage("no workflow instances");
    }
}
