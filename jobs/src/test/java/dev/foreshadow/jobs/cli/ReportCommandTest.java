package dev.foreshadow.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foreshadow.connectors.embedded.EmbeddedDatabase;
import dev.foreshadow.connectors.history.HistoryFixture;
import dev.foreshadow.connectors.history.Migrations;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code foreshadow report} against a real PostgreSQL holding a {@link HistoryFixture}. */
class ReportCommandTest {

    @TempDir static Path dir;
    private static EmbeddedDatabase db;
    private static final HistoryFixture HISTORY = new HistoryFixture("rc", Instant.now());

    @BeforeAll
    static void startDatabase() throws Exception {
        db = EmbeddedDatabase.start(dir.resolve("db"));
        try (Connection c = db.settings().connect()) {
            Migrations.apply(c);
        }
        HISTORY.write(db.settings());
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        db.close();
    }

    @Test
    void writesTheReportOfThePeriodSinceTheGivenInstant() throws Exception {
        Path out = dir.resolve("since");
        Instant since = HISTORY.end().minusSeconds(3600 * 12);
        Run run =
                run(
                        "report",
                        "--jdbc",
                        jdbc(),
                        "--out",
                        out.toString(),
                        "--since",
                        since.toString());
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("report written to " + out.resolve("report.html"));
        String html = Files.readString(out.resolve("report.html"));
        assertThat(html).contains("Period: since " + since, HISTORY.workflowTypes().get(0));
        // the fixture's anomalies are 20 hours before its end: outside the last 12 hours
        assertThat(html).doesNotContain("retry-storm");

        Run all = run("report", "--jdbc", jdbc(), "--out", dir.resolve("all").toString());
        assertThat(all.code()).as(all.err()).isZero();
        assertThat(Files.readString(dir.resolve("all").resolve("report.html")))
                .contains("retry-storm");
    }

    @Test
    void drawsEachPoolsCommandedFloorAgainstItsArrivalsAndListsTheExternalEvents()
            throws Exception {
        Path out = dir.resolve("commands");
        Run run = run("report", "--jdbc", jdbc(), "--out", out.toString());
        assertThat(run.code()).as(run.err()).isZero();
        String html = Files.readString(out.resolve("report.html"));
        String commands = html.substring(html.indexOf("<h2>Allocation commands against arrivals"));
        assertThat(commands)
                .contains(
                        "alt=\"Commands for pool " + HISTORY.pool() + "\"",
                        "src=\"data:image/png;base64,");
        // the fixture's campaign, in the table of external events under the forecasts' chart
        String forecasts =
                html.substring(
                        html.indexOf("<h2>Arrivals against forecasts"),
                        html.indexOf("<h2>Allocation commands against arrivals"));
        assertThat(forecasts).contains("<td>bf-7</td>", "<td>campaign</td>");
    }

    @Test
    void aBadSinceOrJdbcUrlIsOneLineNamingTheOption() {
        Run since =
                run(
                        "report",
                        "--jdbc",
                        jdbc(),
                        "--out",
                        dir.resolve("x").toString(),
                        "--since",
                        "last week");
        assertThat(since.code()).isNotZero();
        assertThat(since.err().strip()).doesNotContain("\n").contains("--since last week");

        Run url =
                run("report", "--jdbc", "postgres://nowhere", "--out", dir.resolve("y").toString());
        assertThat(url.code()).isNotZero();
        assertThat(url.err().strip()).doesNotContain("\n").contains("--jdbc");
    }

    private static String jdbc() {
        return db.settings().jdbcUrl() + "?user=postgres";
    }

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine cli = Foreshadow.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }
}
