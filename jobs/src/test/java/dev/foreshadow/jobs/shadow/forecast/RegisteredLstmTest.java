package dev.foreshadow.jobs.shadow.forecast;

import static dev.foreshadow.jobs.Harnesses.keyedBroadcast;
import static org.assertj.core.api.Assertions.assertThat;

import dev.foreshadow.connectors.embedded.EmbeddedDatabase;
import dev.foreshadow.connectors.history.Migrations;
import dev.foreshadow.connectors.history.ModelRegistry;
import dev.foreshadow.connectors.records.Arrivals;
import dev.foreshadow.connectors.records.TypeForecast;
import dev.foreshadow.models.domain.WorkloadKey;
import dev.foreshadow.models.forecast.GlobalLstm;
import dev.foreshadow.models.forecast.LstmConfig;
import dev.foreshadow.models.forecast.Series;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Forecast operator with a real model registry (embedded PostgreSQL): a workflow type whose
 * registered choice is the global LSTM is forecast with it, with the global version its own version
 * names.
 */
class RegisteredLstmTest {

    static final Instant MONDAY = Instant.parse("2026-11-30T00:00:00Z");
    static final long STEP = Duration.ofMinutes(5).toMillis();
    static final String CHECKOUT = WorkloadKey.ofType("shop", "checkout").encoded();
    static final int HISTORY = 12 * 24; // a day of 5-minute steps

    @TempDir static Path runDir;
    private static EmbeddedDatabase db;
    private static GlobalLstm pinned;
    private static GlobalLstm newest;

    /** Runs per 5-minute step: an hourly cycle with a slow rise, as the job sees arrivals. */
    private static double runs(int step) {
        return Math.round(20 + 10 * Math.sin(2 * Math.PI * step / 12) + step / 40.0);
    }

    @BeforeAll
    static void registerTwoGlobalVersionsAndALstmChoice() throws Exception {
        db = EmbeddedDatabase.start(runDir);
        try (Connection c = db.settings().connect()) {
            Migrations.apply(c);
        }
        List<Series> training = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            double[] y = new double[HISTORY * 3];
            for (int t = 0; t < y.length; t++) {
                y[t] = runs(t) * (1 + 0.2 * i);
            }
            training.add(Series.of("s" + i, y));
        }
        LstmConfig config = new LstmConfig(12, 12, 0, 24, 8, 2, 32, 5e-3, 2, 7);
        pinned = GlobalLstm.train(training, 0, config, e -> {});
        newest = GlobalLstm.train(training, 0, config.withSeed(99), e -> {});
        ModelRegistry registry = new ModelRegistry(db.settings(), InstantSource.fixed(MONDAY));
        ModelRegistry.BacktestMetrics metrics =
                new ModelRegistry.BacktestMetrics(0.4, 10, 0.8, Double.NaN, 2, 12, 12, 5);
        Instant from = MONDAY.minus(Duration.ofDays(3));
        registry.register(ModelRegistry.GLOBAL, "lstm", from, MONDAY, metrics, pinned.toBytes());
        registry.register(ModelRegistry.GLOBAL, "lstm", from, MONDAY, metrics, newest.toBytes());
        // train's artifact for a type where the LSTM won alone: a one-member combination that
        // names the global version it was chosen with (v1, not the newest)
        registry.register(
                "checkout",
                "lstm",
                from,
                MONDAY,
                metrics.toJson(1),
                "weighted:lstm:lstm=1.0/1.0/1.0".getBytes(StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        db.close();
    }

    @Test
    void aTypeWhereTheLstmWonIsForecastWithTheGlobalVersionItsChoiceNames() throws Exception {
        var h =
                keyedBroadcast(
                        new ForecastArrivals(
                                new ForecastSettings(
                                        Duration.ofMinutes(5),
                                        Duration.ofHours(1),
                                        Duration.ofHours(1),
                                        Duration.ofDays(1),
                                        Duration.ofMinutes(1),
                                        2.0),
                                db.settings(),
                                Duration.ofDays(30)),
                        TypeArrivals::key,
                        ForecastArrivals.CONTEXT);
        double[] history = new double[HISTORY];
        for (int s = 0; s < HISTORY; s++) {
            history[s] = runs(s);
            Instant at = MONDAY.plusMillis(s * STEP);
            h.processElement(
                    new TypeArrivals(
                            CHECKOUT, new Arrivals(at, "shop", "checkout", (long) runs(s))),
                    at.toEpochMilli());
        }
        h.watermark(MONDAY.toEpochMilli() + HISTORY * STEP);

        List<TypeForecast> out = h.extractOutputValues();
        TypeForecast last = out.get(out.size() - 1);
        assertThat(last.model()).isEqualTo("lstm");
        assertThat(last.modelVersion()).isEqualTo(1);
        assertThat(last.why()).startsWith("registered version 1");
        Series series = Series.of(CHECKOUT, history);
        double[] expected = pinned.forecast(series, HISTORY, 12).p50();
        double[] other = newest.forecast(series, HISTORY, 12).p50();
        double[] seasonalNaive = java.util.Arrays.copyOfRange(history, HISTORY - 12, HISTORY);
        for (int i = 0; i < 12; i++) {
            assertThat(last.mean()[i])
                    .isCloseTo(Math.max(0, expected[i]), org.assertj.core.data.Offset.offset(1e-6));
        }
        assertThat(last.mean()).isNotEqualTo(seasonalNaive);
        assertThat(last.mean()).isNotEqualTo(other);
        h.close();
    }
}
