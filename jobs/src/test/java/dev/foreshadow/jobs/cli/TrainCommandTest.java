package dev.foreshadow.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foreshadow.connectors.embedded.EmbeddedDatabase;
import dev.foreshadow.connectors.history.Migrations;
import dev.foreshadow.connectors.history.ModelRegistry;
import dev.foreshadow.models.forecast.ForecastModel;
import dev.foreshadow.models.forecast.GlobalLstm;
import dev.foreshadow.models.forecast.ModelArtifacts;
import dev.foreshadow.models.forecast.Series;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code foreshadow train} against a real PostgreSQL holding two weeks of arrivals of two workflow
 * types.
 */
class TrainCommandTest {

    private static final Instant MONDAY_MIDNIGHT = Instant.parse("2026-11-23T00:00:00Z");
    private static final int DAYS = 14;
    private static final int LATER_DAYS = 14;

    @TempDir static Path runDir;
    private static EmbeddedDatabase db;

    @BeforeAll
    static void startDatabaseWithArrivals() throws Exception {
        db = EmbeddedDatabase.start(runDir);
        try (Connection c = db.settings().connect()) {
            Migrations.apply(c);
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "SELECT fs_ensure_partitions('arrivals', ?::date, ?::date)")) {
                ps.setString(
                        1,
                        MONDAY_MIDNIGHT
                                .minusSeconds((DAYS + 1) * 86400L)
                                .toString()
                                .substring(0, 10));
                ps.setString(
                        2,
                        MONDAY_MIDNIGHT
                                .plusSeconds((LATER_DAYS + 1) * 86400L)
                                .toString()
                                .substring(0, 10));
                ps.execute();
            }
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "INSERT INTO arrivals (bucket, tenant, workflow_type, runs) VALUES (?, 'shop', ?, ?)")) {
                Instant start = MONDAY_MIDNIGHT.minusSeconds(DAYS * 86400L);
                for (int minute = 0; minute < DAYS * 1440; minute += 5) {
                    int hour = (minute / 60) % 24;
                    ps.setTimestamp(1, Timestamp.from(start.plusSeconds(minute * 60L)));
                    ps.setString(2, "checkout");
                    ps.setLong(3, hour >= 9 && hour < 18 ? 12 : 3);
                    ps.addBatch();
                    ps.setString(2, "nightly-report");
                    ps.setLong(3, hour < 2 ? 20 : 1);
                    ps.addBatch();
                }
                ps.executeBatch();
                // then two weeks in which checkout is quiet at weekends: a weekly season
                for (int minute = 0; minute < LATER_DAYS * 1440; minute += 5) {
                    int hour = (minute / 60) % 24;
                    boolean weekend = (minute / 1440) % 7 >= 5;
                    ps.setTimestamp(1, Timestamp.from(MONDAY_MIDNIGHT.plusSeconds(minute * 60L)));
                    ps.setString(2, "checkout");
                    ps.setLong(3, weekend ? 1 : hour >= 9 && hour < 18 ? 12 : 3);
                    ps.addBatch();
                    ps.setString(2, "nightly-report");
                    ps.setLong(3, hour < 2 ? 20 : 1);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }

    @BeforeEach
    void noModelIsRegistered() throws Exception {
        try (Connection c = db.settings().connect();
                Statement st = c.createStatement()) {
            st.execute("DELETE FROM models");
        }
    }

    /** Runs {@code train args} at {@code now} and returns what it printed; it must succeed. */
    private static String train(Instant now, String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = Foreshadow.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(out));
        TrainCommand train = cli.getSubcommands().get("train").getCommand();
        train.clock = InstantSource.fixed(now);
        String[] all = new String[args.length + 1];
        all[0] = "train";
        System.arraycopy(args, 0, all, 1, args.length);
        int exit = cli.execute(all);
        assertThat(exit).as(out.toString()).isZero();
        return out.toString();
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        db.close();
    }

    @Test
    void registersTheBacktestWinnerOfEachWorkflowTypeAndTheGlobalModel() throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cli = Foreshadow.commandLine();
        cli.setOut(new PrintWriter(out));
        TrainCommand train = cli.getSubcommands().get("train").getCommand();
        train.clock = InstantSource.fixed(MONDAY_MIDNIGHT);

        int exit =
                cli.execute(
                        "train",
                        "--jdbc",
                        db.jdbcUrl(),
                        "--db-user",
                        "postgres",
                        "--window-days",
                        "14",
                        "--folds",
                        "2",
                        "--epochs",
                        "1");

        assertThat(exit).as(out.toString()).isZero();
        ModelRegistry registry =
                new ModelRegistry(db.settings(), InstantSource.fixed(MONDAY_MIDNIGHT));
        List<ModelRegistry.Entry> latest = registry.latestOfEachType();
        boolean lstmWon =
                latest.stream()
                        .anyMatch(
                                e ->
                                        !e.workflowType().equals(ModelRegistry.GLOBAL)
                                                && ModelArtifacts.needsGlobal(e.artifact()));
        assertThat(latest)
                .extracting(ModelRegistry.Entry::workflowType)
                .containsExactlyElementsOf(
                        lstmWon
                                ? List.of(ModelRegistry.GLOBAL, "checkout", "nightly-report")
                                : List.of("checkout", "nightly-report"));
        assertThat(out.toString())
                .contains("checkout", "nightly-report", "registered v1 (first version)")
                .contains("registered " + (lstmWon ? 3 : 2) + " models");
        ModelRegistry.Entry checkout = registry.latest("checkout").orElseThrow();
        assertThat(checkout.trainingTo()).isEqualTo(MONDAY_MIDNIGHT);
        assertThat(checkout.createdAt()).isEqualTo(MONDAY_MIDNIGHT);
        assertThat(checkout.metricsJson()).contains("\"mase\"", "\"snaive_mase\"");
        // what the job does at start: load the global model, then each type's winner, and forecast
        GlobalLstm global =
                registry.latest(ModelRegistry.GLOBAL)
                        .map(e -> GlobalLstm.fromBytes(e.artifact()))
                        .orElse(null);
        ForecastModel model = ModelArtifacts.read(checkout.artifact(), global);
        assertThat(model.name()).isEqualTo(checkout.modelType());
        double[] history = new double[24 * 10];
        for (int t = 0; t < history.length; t++) {
            history[t] = t % 24 >= 9 && t % 24 < 18 ? 144 : 36;
        }
        assertThat(model.forecast(Series.of("checkout", history), history.length, 24).p50())
                .hasSize(24);
    }

    @Test
    void rejectsAHorizonOfZeroWithOneLine() {
        StringWriter err = new StringWriter();
        CommandLine cli = Foreshadow.commandLine();
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute("train", "--jdbc", db.jdbcUrl(), "--horizon", "0");
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString().strip())
                .startsWith("foreshadow: ")
                .contains("--horizon")
                .doesNotContain("\n");
    }

    @Test
    void rejectsAnUntilThatIsNotAnInstant() {
        StringWriter err = new StringWriter();
        CommandLine cli = Foreshadow.commandLine();
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute("train", "--jdbc", db.jdbcUrl(), "--until", "yesterday");
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString().strip())
                .startsWith("foreshadow: --until must be an ISO-8601 instant");
    }

    @Test
    void rejectsANegativeLongSeasonWithOneLineNamingIt() {
        StringWriter err = new StringWriter();
        CommandLine cli = Foreshadow.commandLine();
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute("train", "--jdbc", db.jdbcUrl(), "--long-season", "-1");
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString().strip())
                .startsWith("foreshadow: ")
                .contains("--long-season 0 or more")
                .doesNotContain("\n");
    }

    /** The arguments of one round of {@code days} of history. */
    private static String[] round(int days) {
        return new String[] {
            "--jdbc",
            db.jdbcUrl(),
            "--db-user",
            "postgres",
            "--window-days",
            Integer.toString(days),
            "--folds",
            "2",
            "--epochs",
            "1"
        };
    }

    @Test
    void aSecondRoundOnTheSameHistoryKeepsEveryRegisteredVersion() throws Exception {
        train(MONDAY_MIDNIGHT, round(14));
        ModelRegistry registry =
                new ModelRegistry(db.settings(), InstantSource.fixed(MONDAY_MIDNIGHT));
        List<ModelRegistry.Entry> first = registry.latestOfEachType();

        String second = train(MONDAY_MIDNIGHT, round(14));

        assertThat(second)
                .containsPattern("kept v1 \\(MASE [0-9.]+ <= [0-9.]+\\)")
                .contains("registered 0 models")
                .doesNotContainPattern("registered v[0-9]");
        assertThat(registry.latestOfEachType())
                .extracting(ModelRegistry.Entry::id)
                .containsExactlyElementsOf(first.stream().map(ModelRegistry.Entry::id).toList());
    }

    @Test
    void aRoundAfterTheHistoryGainedAWeeklySeasonRegistersTheTypeThatChanged() throws Exception {
        train(MONDAY_MIDNIGHT, round(14));
        Instant later = MONDAY_MIDNIGHT.plusSeconds(LATER_DAYS * 86400L);

        String second = train(later, round(21));

        // the registered checkout version knows no week: it forecasts Saturday as a Friday
        assertThat(second).containsPattern("registered v2 \\(MASE [0-9.]+ < [0-9.]+\\)");
        ModelRegistry registry = new ModelRegistry(db.settings(), InstantSource.fixed(later));
        ModelRegistry.Entry checkout = registry.latest("checkout").orElseThrow();
        assertThat(checkout.version()).isEqualTo(2);
        assertThat(checkout.trainingTo()).isEqualTo(later);
    }

    @Test
    void trainsEveryPeriodSurvivesARoundWithoutDatabaseAndStopsWhenAsked() throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cli = Foreshadow.commandLine();
        cli.setOut(new PrintWriter(out, true));
        TrainCommand train = cli.getSubcommands().get("train").getCommand();
        int[] exit = {-1};
        // nothing listens on port 1: every round fails to read the history
        Thread loop =
                new Thread(
                        () ->
                                exit[0] =
                                        cli.execute(
                                                "train",
                                                "--jdbc",
                                                "jdbc:postgresql://127.0.0.1:1/foreshadow",
                                                "--every",
                                                "1s"));
        loop.start();
        long deadline = System.currentTimeMillis() + 60_000;
        while (!out.toString().contains("round 2 failed")
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        train.stop();
        loop.join(30_000);

        assertThat(loop.isAlive()).isFalse();
        assertThat(exit[0]).as(out.toString()).isZero();
        assertThat(out.toString())
                .contains("round 1 at ", "round 1 failed: cannot read arrivals", "; next round at ")
                .contains("round 2 failed: cannot read arrivals")
                .containsPattern("stopped after [0-9]+ rounds");
    }

    @Test
    void rejectsAnEveryThatIsNotADurationWithOneLine() {
        StringWriter err = new StringWriter();
        CommandLine cli = Foreshadow.commandLine();
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute("train", "--jdbc", db.jdbcUrl(), "--every", "often");
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString().strip())
                .startsWith("foreshadow: --every must be a duration")
                .contains("often")
                .doesNotContain("\n");
    }
}
