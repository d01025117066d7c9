package dev.foreshadow.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AnomalyEvalCommandsTest {

    @Test
    void evalAnomaliesEndsWithTheNormalisedScoreOfEveryNabProfile() {
        Run run = run("eval", "anomalies", "--nab", data("nab").toString());
        assertThat(run.exit).isZero();
        List<String> lines = run.out.lines().toList();
        assertThat(lines.get(lines.size() - 1))
                .matches(
                        "NAB standard=-?\\d+\\.\\d reward_low_FP_rate=-?\\d+\\.\\d reward_low_FN_rate=-?\\d+\\.\\d");
        assertThat(run.out)
                .contains(
                        "realAWSCloudwatch/ec2_cpu_utilization_24ae8d.csv",
                        "numenta",
                        "foreshadow (this run)",
                        "held out of development (8 files");
        assertThat(lines.get(lines.size() - 2))
                .matches(
                        "NAB held-out standard=-?\\d+\\.\\d reward_low_FP_rate=-?\\d+\\.\\d reward_low_FN_rate=-?\\d+\\.\\d");
    }

    @Test
    void evalAnomaliesDevelopmentOnlyNeitherRunsNorPrintsTheHeldOutFiles() {
        Run run = run("eval", "anomalies", "--nab", data("nab").toString(), "--development-only");
        assertThat(run.exit).isZero();
        List<String> lines = run.out.lines().toList();
        assertThat(lines.get(lines.size() - 1))
                .matches(
                        "NAB development standard=-?\\d+\\.\\d reward_low_FP_rate=-?\\d+\\.\\d reward_low_FN_rate=-?\\d+\\.\\d");
        // 24ae8d is the first real file (development), 53ea38 the second (held out)
        assertThat(run.out)
                .contains("ec2_cpu_utilization_24ae8d.csv")
                .doesNotContain("ec2_cpu_utilization_53ea38.csv", "held-out", "held out");
    }

    @Test
    void evalWorkflowAnomaliesEndsWithOverallPrecisionRecallAndF1() {
        Run run = run("eval", "workflow-anomalies", "--flowbench", data("flowbench").toString());
        assertThat(run.exit).isZero();
        List<String> lines = run.out.lines().toList();
        assertThat(lines.get(lines.size() - 1))
                .matches("FlowBench precision=\\d\\.\\d{3} recall=\\d\\.\\d{3} f1=\\d\\.\\d{3}");
        assertThat(lines.get(lines.size() - 2))
                .matches(
                        "FlowBench held-out precision=\\d\\.\\d{3} recall=\\d\\.\\d{3} f1=\\d\\.\\d{3}");
        assertThat(lines.get(lines.size() - 3)).startsWith("FlowBench development precision=");
        assertThat(run.out).contains("cpu_2", "cpu_3", "hdd_5", "hdd_10", "overall");
    }

    @Test
    void rejectsAFolderThatIsNotANabCorpusWithOneLine(@TempDir Path dir) {
        Run run = run("eval", "anomalies", "--nab", dir.toString());
        assertThat(run.exit).isEqualTo(2);
        assertThat(run.err.strip()).startsWith("foreshadow: not a NAB folder").doesNotContain("\n");
    }

    @Test
    void rejectsAMissingFlowBenchFolder(@TempDir Path dir) {
        Run run =
                run("eval", "workflow-anomalies", "--flowbench", dir.resolve("absent").toString());
        assertThat(run.exit).isEqualTo(2);
        assertThat(run.err.strip()).startsWith("foreshadow: ").endsWith("is not a directory");
    }

    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        CommandLine cli = Foreshadow.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static Path data(String sub) {
        String env = System.getenv("FORESHADOW_DATA");
        Path dir =
                (env != null && !env.isBlank() ? Path.of(env) : Path.of("../../shared/data"))
                        .resolve(sub);
        if (!Files.isDirectory(dir)) {
            fail(
                    "shared dataset "
                            + dir.toAbsolutePath().normalize()
                            + " is missing: set FORESHADOW_DATA to the shared/data folder");
        }
        return dir;
    }
}
