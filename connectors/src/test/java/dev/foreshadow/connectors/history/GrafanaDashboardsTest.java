package dev.foreshadow.connectors.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.foreshadow.connectors.embedded.EmbeddedDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provisioned Grafana dashboards against the real schema on plain PostgreSQL: every panel's and
 * variable's SQL, as Grafana sends it, runs over a {@link HistoryFixture} and draws something. The
 * TimescaleDB path gives the same rows ({@code TimescaleMigrationsTest}).
 */
class GrafanaDashboardsTest {

    @TempDir static Path runDir;
    private static EmbeddedDatabase db;
    private static final HistoryFixture HISTORY = new HistoryFixture("g1", Instant.now());

    @BeforeAll
    static void startDatabase() throws Exception {
        db = EmbeddedDatabase.start(runDir);
        try (Connection c = db.settings().connect()) {
            Migrations.apply(c);
        }
        HISTORY.write(db.settings());
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        db.close();
    }

    /** The variables set to one workflow type of the fixture and its pool. */
    static Map<String, String> oneType(HistoryFixture history) {
        return Map.of("workflow_type", history.workflowTypes().get(0), "pool", history.pool());
    }

    @Test
    void everyPanelAndVariableReturnsRowsForOneWorkflowTypeAndForAll() throws Exception {
        for (Map<String, String> variables :
                List.of(oneType(HISTORY), Map.of("workflow_type", "%", "pool", HISTORY.pool()))) {
            Map<String, String> queries =
                    Dashboards.queries(HISTORY.start(), HISTORY.end(), variables);
            assertThat(queries).hasSizeGreaterThanOrEqualTo(10);
            try (Connection c = db.settings().connect()) {
                for (Map.Entry<String, String> q : queries.entrySet()) {
                    assertThat(q.getValue())
                            .as(q.getKey() + ": every macro expanded")
                            .doesNotContain("$");
                    assertThat(HistoryFixture.allRows(c, q.getValue()))
                            .as(q.getKey() + " with " + variables)
                            .isNotEmpty();
                }
            }
        }
    }

    @Test
    void timeSeriesPanelsReturnATimeColumnFirstInTimeOrder() throws Exception {
        Map<String, String> types = Dashboards.panels();
        Map<String, String> queries =
                Dashboards.queries(HISTORY.start(), HISTORY.end(), oneType(HISTORY));
        int series = 0;
        try (Connection c = db.settings().connect();
                Statement st = c.createStatement()) {
            for (Map.Entry<String, String> q : queries.entrySet()) {
                String[] key = q.getKey().split(" / ");
                if (key.length < 3 || !"timeseries".equals(types.get(key[1]))) {
                    continue;
                }
                series++;
                try (ResultSet rs = st.executeQuery(q.getValue())) {
                    assertThat(rs.getMetaData().getColumnName(1)).as(q.getKey()).isEqualTo("time");
                    Instant last = Instant.MIN;
                    while (rs.next()) {
                        Instant t = rs.getTimestamp(1).toInstant();
                        assertThat(t).as(q.getKey()).isAfterOrEqualTo(last);
                        last = t;
                    }
                }
            }
        }
        assertThat(series).as("time-series targets").isGreaterThanOrEqualTo(5);
    }

    @Test
    void theDashboardsCoverArrivalsResourcesAnomaliesAllocationAndCost() throws Exception {
        assertThat(String.join("\n", Dashboards.panels().keySet()).toLowerCase())
                .contains("arrivals", "percentiles", "resources", "anomalies", "allocation", "cost")
                .contains("forecast");
    }
}
