package dev.foreshadow.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code foreshadow eval allocation}: the wiring, the report, the chart and bad input. */
class AllocationEvalCommandTest {

    @TempDir Path dir;

    private record Result(int exit, String out, String err) {}

    private Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Foreshadow.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    /** Three days of hourly arrivals of two types with a daily cycle. */
    private Path arrivals() throws Exception {
        StringBuilder csv = new StringBuilder("timestamp,workflow_type,count\n");
        Instant start = Instant.parse("2026-01-05T00:00:00Z");
        for (int h = 0; h < 72; h++) {
            int n = (int) Math.round(3 + 2 * Math.sin(2 * Math.PI * (h % 24) / 24));
            csv.append(start.plusSeconds(3600L * h)).append(",alpha,").append(n).append('\n');
            csv.append(start.plusSeconds(3600L * h)).append(",beta,").append(n / 2).append('\n');
        }
        Path file = dir.resolve("arrivals.csv");
        Files.writeString(file, csv);
        return file;
    }

    /** The demo's bundled traces, small real workflows. */
    private static Path workflows() {
        return Path.of("src/main/resources/trace/wfcommons");
    }

    @Test
    void printsEveryPolicyAChartAndEndsWithTheRatiosLine() throws Exception {
        Path events = dir.resolve("events.csv");
        Files.writeString(
                events,
                "start,end,kind,magnitude,workflow_types\n"
                        + "2026-01-07T12:00:00Z,2026-01-07T14:00:00Z,weather,3,alpha\n");

        Result r =
                run(
                        "eval",
                        "allocation",
                        "--arrivals",
                        arrivals().toString(),
                        "--workflows",
                        workflows().toString(),
                        "--events",
                        events.toString(),
                        "--out",
                        dir.resolve("eval").toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("reactive ", "hybrid ", "foreshadow ", "oracle ")
                .contains("workflows: {alpha=1000genome, beta=blast}")
                .contains("events/s");
        String[] lines = r.out().strip().split("\n");
        assertThat(lines[lines.length - 1])
                .matches(
                        "allocation cost_vs_reactive=\\d+\\.\\d{3} wait_vs_reactive=\\S+"
                                + " cost_vs_oracle=\\d+\\.\\d{3} wait_vs_hybrid=\\S+");
        assertThat(dir.resolve("eval/allocation-arrivals-held-out.png")).isNotEmptyFile();
    }

    @Test
    void rejectsBadInputWithOneLineNamingIt() throws Exception {
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "timestamp,workflow_type,count\nyesterday,alpha,3\n");

        Result badRow =
                run(
                        "eval",
                        "allocation",
                        "--arrivals",
                        bad.toString(),
                        "--workflows",
                        workflows().toString());
        Result missing =
                run("eval", "allocation", "--arrivals", dir.resolve("none.csv").toString());
        Result part =
                run("eval", "allocation", "--arrivals", arrivals().toString(), "--part", "all");
        Result shape =
                run(
                        "eval",
                        "allocation",
                        "--arrivals",
                        arrivals().toString(),
                        "--workflows",
                        workflows().toString(),
                        "--instance-cores",
                        "0");

        assertThat(badRow.exit()).isEqualTo(2);
        assertThat(badRow.err().strip())
                .isEqualTo(
                        "foreshadow: "
                                + bad
                                + " line 2: timestamp yesterday is not an ISO-8601"
                                + " instant");
        assertThat(missing.err().strip()).endsWith("none.csv does not exist");
        assertThat(part.err().strip())
                .isEqualTo("foreshadow: --part must be held-out or development, got all");
        assertThat(shape.err().strip())
                .isEqualTo("foreshadow: instance cores must be 1..1024, got 0");
        assertThat(badRow.err().strip().lines().count()).isEqualTo(1);
    }
}
