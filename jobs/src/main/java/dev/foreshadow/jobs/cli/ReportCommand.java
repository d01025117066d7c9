package dev.foreshadow.jobs.cli;

import dev.foreshadow.connectors.history.PostgresSettings;
import dev.foreshadow.jobs.report.HistoryReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code foreshadow report --jdbc URL --out DIR [--since WHEN]}: writes the {@link HistoryReport}
 * of a history database to {@code DIR/report.html}.
 */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description =
                "Write a self-contained HTML report of the history (workflows, peak hours, bottlenecks,"
                        + " data movers, cost, certifications, anomalies, allocations).",
        footerHeading = "%nExample:%n",
        footer = {
            "  ./foreshadow report --jdbc 'jdbc:postgresql://db:5432/foreshadow' --user foreshadow \\",
            "      --password-file .db_password --out target/report --since 2026-11-01"
        })
final class ReportCommand implements Callable<Integer> {

    @Option(
            names = "--jdbc",
            required = true,
            paramLabel = "URL",
            description = "JDBC URL of the history database (jdbc:postgresql://...).")
    String jdbc;

    @Option(names = "--user", description = "Database user (default: the URL's).")
    String user;

    @Option(
            names = "--password-file",
            paramLabel = "FILE",
            description =
                    "File holding the database password (default: FORESHADOW_DB_PASSWORD, if set).")
    Path passwordFile;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "Folder to write report.html into.")
    Path out;

    @Option(
            names = "--since",
            paramLabel = "WHEN",
            description =
                    "Start of the period: a date (2026-11-01) or an instant (2026-11-01T06:00:00Z); default: all history.")
    String since;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Instant from = since == null ? null : parseSince(since);
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new CliException("--out " + out + " is not a directory");
        }
        PostgresSettings db;
        try {
            db = PostgresSettings.of(jdbc, user, passwordFile);
        } catch (IllegalArgumentException e) {
            throw new CliException(
                    (e.getMessage().contains("password-file") ? "--password-file: " : "--jdbc: ")
                            + e.getMessage());
        }
        try (Connection c = db.connect()) {
            Path report = HistoryReport.write(c, out, from, "foreshadow history report", Map.of());
            spec.commandLine().getOut().println("report written to " + report);
        } catch (SQLException e) {
            throw new CliException(
                    "cannot read the history database "
                            + db
                            + ": "
                            + e.getMessage()
                            + " (check --jdbc, --user, --password-file)");
        }
        return 0;
    }

    static Instant parseSince(String text) {
        try {
            return text.contains("T")
                    ? Instant.parse(text)
                    : LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw new CliException(
                    "--since "
                            + text
                            + " is neither a date (2026-11-01) nor an instant (2026-11-01T06:00:00Z)");
        }
    }
}
