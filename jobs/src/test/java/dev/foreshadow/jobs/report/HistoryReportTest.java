package dev.foreshadow.jobs.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.foreshadow.connectors.embedded.EmbeddedDatabase;
import dev.foreshadow.connectors.history.HistoryFixture;
import dev.foreshadow.connectors.history.Migrations;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The history report over a {@link HistoryFixture} in a real PostgreSQL, opened in headless
 * Chromium (Debian's {@code chromium}; {@code .ci/run} installs it where missing) as a user would
 * open the file: every chart draws, the console stays quiet, and a screenshot is written beside the
 * report.
 */
class HistoryReportTest {

    @TempDir static Path dir;
    private static EmbeddedDatabase db;
    private static final HistoryFixture HISTORY = new HistoryFixture("rp", Instant.now());
    private static Path report;
    private static String html;

    @BeforeAll
    static void writeReport() throws Exception {
        db = EmbeddedDatabase.start(dir.resolve("db"));
        try (Connection c = db.settings().connect()) {
            Migrations.apply(c);
        }
        HISTORY.write(db.settings());
        try (Connection c = db.settings().connect()) {
            report =
                    HistoryReport.write(
                            c, dir.resolve("out"), null, "a test report", Map.of("events", 42));
        }
        html = Files.readString(report);
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        db.close();
    }

    @Test
    void everySectionIsThereWithTheFixturesRowsAndTheSummary() {
        assertThat(html)
                .contains(
                        "Most frequent workflows",
                        "Peak demand by hour of week",
                        "Bottleneck actions",
                        "Data movers",
                        "Cost by workflow type",
                        "Certification needs",
                        "Anomalies",
                        "Allocations against demand",
                        "Arrivals against forecasts")
                .contains("Runs started per forecast step against the forecast one step ahead")
                .contains("snaive12")
                .contains("<td>events</td><td>42</td>")
                .contains("PCI-DSS", "HIPAA", "retry-storm", "sustained-spike")
                .contains(HISTORY.workflowTypes().toArray(String[]::new))
                .contains("Pool " + HISTORY.pool());
    }

    @Test
    void theLongestActionOfTheSequentialEtlRunsIsTheTopBottleneck() {
        // every run of the fixture runs its actions one after another, so all are on its critical
        // path, and ETL's 30 s transform takes the largest share of the run time
        Matcher first =
                Pattern.compile(
                                "critical path \\(%\\)</th>.*?</tr>\\s*<tr><td>([^<]+)</td><td>([0-9.]+)<",
                                Pattern.DOTALL)
                        .matcher(html);
        assertThat(first.find()).isTrue();
        assertThat(first.group(1)).isEqualTo(HISTORY.workflowTypes().get(1) + " / transform");
        assertThat(Double.parseDouble(first.group(2))).isBetween(10.0, 90.0);
    }

    @Test
    void theCriticalPathLeavesOutABranchThatEndedBeforeTheOneItWaitedFor() {
        // a [0, 10] and b [0, 4] run side by side, c [10, 15] starts when a ends: c and a are on
        // the path, b is not; the run takes 15
        List<String> names = List.of("a", "b", "c");
        List<double[]> run =
                new ArrayList<>(
                        List.of(
                                new double[] {0, 4, 1},
                                new double[] {10, 15, 2},
                                new double[] {0, 10, 0}));
        Map<String, double[]> onPath = new HashMap<>();
        double[] runTime = {0};
        HistoryReport.walk(run, names, onPath, runTime);
        assertThat(onPath).containsOnlyKeys("a", "c");
        assertThat(onPath.get("a")).containsExactly(10, 1);
        assertThat(onPath.get("c")).containsExactly(5, 1);
        assertThat(runTime[0]).isEqualTo(15);
    }

    @Test
    void theReportNeedsNothingButItsOwnFile() throws Exception {
        assertThat(html).doesNotContain("<link", "http://", "https://", "src=\"/", "url(");
        Matcher src = Pattern.compile("src=\"([^\"]*)\"").matcher(html);
        int images = 0;
        while (src.find()) {
            images++;
            assertThat(src.group(1)).startsWith("data:image/png;base64,");
        }
        assertThat(images).as("charts").isGreaterThanOrEqualTo(7);
        try (var files = Files.list(report.getParent())) {
            assertThat(
                            files.map(f -> f.getFileName().toString())
                                    .filter(f -> !f.equals("report.png")))
                    .containsExactly("report.html");
        }
    }

    @Test
    void chromiumDrawsEveryChartWithoutConsoleErrorsAndWritesAScreenshot() throws Exception {
        String expected = attribute("data-charts-expected");
        Result dom = chromium("--virtual-time-budget=10000", "--dump-dom");
        assertThat(dom.out()).contains("data-charts=\"" + expected + " of " + expected + "\"");
        assertThat(Integer.parseInt(expected)).isGreaterThanOrEqualTo(7);
        assertThat(dom.err().lines().filter(l -> l.contains("CONSOLE")).toList())
                .as("console messages")
                .isEmpty();

        Path screenshot = report.resolveSibling("report.png");
        chromium("--window-size=1200,4000", "--screenshot=" + screenshot);
        assertThat(screenshot).exists();
        assertThat(Files.size(screenshot)).isGreaterThan(50_000);
    }

    private static String attribute(String name) {
        Matcher m = Pattern.compile(name + "=\"(\\d+)\"").matcher(html);
        assertThat(m.find()).as(name).isTrue();
        return m.group(1);
    }

    private record Result(String out, String err) {}

    private static Result chromium(String... args) throws Exception {
        String binary = null;
        for (String candidate : List.of("chromium", "chromium-browser")) {
            for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                if (binary == null && Files.isExecutable(Path.of(d, candidate))) {
                    binary = Path.of(d, candidate).toString();
                }
            }
        }
        if (binary == null) {
            fail("no chromium on PATH: install it (apt-get install -y chromium), as .ci/run does");
        }
        List<String> command =
                new ArrayList<>(
                        List.of(
                                binary,
                                "--headless",
                                "--no-sandbox",
                                "--disable-gpu",
                                "--no-first-run",
                                "--disable-extensions",
                                "--enable-logging=stderr",
                                "--v=0",
                                "--user-data-dir=" + dir.resolve("chromium-profile")));
        command.addAll(List.of(args));
        command.add(report.toUri().toString());
        Path out = Files.createTempFile(dir, "chromium", ".out");
        Path err = Files.createTempFile(dir, "chromium", ".err");
        Process p =
                new ProcessBuilder(command)
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish within 120 s: " + Files.readString(err));
        }
        return new Result(
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
