package dev.foreshadow.jobs.cli;

import dev.foreshadow.connectors.history.Migrations;
import dev.foreshadow.connectors.history.PostgresSettings;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** What a job command does to the history database before it submits: apply the migrations. */
final class HistoryDatabase {

    private HistoryDatabase() {}

    /** Applies the migrations and says so on stderr; a one-line error when it cannot. */
    static void migrate(PostgresSettings db) {
        try (Connection c = db.connect()) {
            List<String> applied = Migrations.apply(c);
            System.err.println(
                    "history "
                            + db
                            + ": "
                            + (applied.isEmpty() ? "schema up to date" : "applied " + applied));
        } catch (SQLException e) {
            throw new CliException(
                    "cannot prepare the history database " + db + ": " + e.getMessage());
        }
    }
}
