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

/**
 * {@code foreshadow eval forecast --series}: the wiring, the report and the rejection of bad input.
 */
class ForecastEvalCommandTest {

    @TempDir Path dir;

    private Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Foreshadow.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    private record Result(int exit, String out, String err) {}

    private Path hourlyCsvWithHolidays() throws Exception {
        StringBuilder csv = new StringBuilder("series_id,timestamp,value,holiday\n");
        Instant start = Instant.parse("2026-01-05T00:00:00Z");
        for (String id : new String[] {"a", "b"}) {
            for (int t = 0; t < 24 * 21; t++) {
                int holiday = (t / 24) % 9 == 4 ? 1 : 0;
                double value =
                        (id.equals("a") ? 10 : 30)
                                + 5 * Math.sin(2 * Math.PI * t / 24)
                                - 8 * holiday;
                csv.append(id)
                        .append(',')
                        .append(start.plusSeconds(3600L * t))
                        .append(',')
                        .append(value)
                        .append(',')
                        .append(holiday)
                        .append('\n');
            }
        }
        Path file = dir.resolve("hourly.csv");
        Files.writeString(file, csv);
        return file;
    }

    @Test
    void printsEveryModelAndEndsWithTheSeriesLine() throws Exception {
        Result r =
                run(
                        "eval",
                        "forecast",
                        "--series",
                        hourlyCsvWithHolidays().toString(),
                        "--season",
                        "24",
                        "--horizon",
                        "24",
                        "--folds",
                        "2",
                        "--epochs",
                        "0",
                        "--event-covariate",
                        "holiday",
                        "--out",
                        dir.resolve("eval").toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("snaive24", "ets-ad-a24", "lstm", "selected", "MASE_on_holiday");
        String last = r.out().strip().lines().reduce((a, b) -> b).orElseThrow();
        assertThat(last)
                .matches(
                        "series MASE=\\d+\\.\\d{3} best_baseline=(naive|snaive24|snaive168)"
                                + " best_baseline_MASE=\\d+\\.\\d{3} ratio=\\d+\\.\\d{3}"
                                + " snaive_MASE=\\d+\\.\\d{3}");
        assertThat(r.out())
                .containsPattern(
                        "elapsed \\d+\\.\\d s: LSTM training \\d+\\.\\d s \\(\\d+\\.\\d s of CPU;")
                .contains("by model:");
        assertThat(dir.resolve("eval/hourly-a.png")).isRegularFile();
    }

    @Test
    void findsTheSeasonsFromTheTimestampsAndScoresTheDevelopmentFoldsWhenAsked() throws Exception {
        Result r =
                run(
                        "eval",
                        "forecast",
                        "--series",
                        hourlyCsvWithHolidays().toString(),
                        "--horizon",
                        "24",
                        "--folds",
                        "2",
                        "--epochs",
                        "0",
                        "--development",
                        "--out",
                        dir.resolve("eval").toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("development", "season 24 (a day of 1h steps", "smedian24", "drift");
    }

    @Test
    void rejectsBadFlagsWithOneLine() throws Exception {
        String csv = hourlyCsvWithHolidays().toString();
        assertOneLineError(run("eval", "forecast"), "exactly one of");
        assertOneLineError(run("eval", "forecast", "--series", csv, "--season", "24"), "--horizon");
        assertOneLineError(
                run("eval", "forecast", "--series", csv, "--season", "0", "--horizon", "3"),
                "positive");
        assertOneLineError(
                run(
                        "eval",
                        "forecast",
                        "--series",
                        csv,
                        "--season",
                        "24",
                        "--horizon",
                        "24",
                        "--folds",
                        "30"),
                "too few");
        assertOneLineError(
                run(
                        "eval",
                        "forecast",
                        "--series",
                        csv,
                        "--season",
                        "24",
                        "--horizon",
                        "24",
                        "--event-covariate",
                        "rain"),
                "no covariate column rain");
        assertOneLineError(
                run("eval", "forecast", "--m4", dir.toString(), "--season", "24"), "--series");
        assertOneLineError(
                run(
                        "eval",
                        "forecast",
                        "--series",
                        dir.resolve("missing.csv").toString(),
                        "--season",
                        "24",
                        "--horizon",
                        "24"),
                "not a file");
    }

    @Test
    void rejectsAMalformedCsvNamingTheRow() throws Exception {
        Path file = dir.resolve("bad.csv");
        Files.writeString(
                file, "series_id,timestamp,value\na,2026-01-01T00:00:00Z,1\na,yesterday,2\n");
        assertOneLineError(
                run(
                        "eval",
                        "forecast",
                        "--series",
                        file.toString(),
                        "--season",
                        "2",
                        "--horizon",
                        "1"),
                "row 3");
    }

    private static void assertOneLineError(Result r, String fragment) {
        assertThat(r.exit()).as(r.out()).isEqualTo(2);
        assertThat(r.err().strip())
                .startsWith("foreshadow: ")
                .contains(fragment)
                .doesNotContain("\n");
    }
}
