package dev.foreshadow.connectors.history;

import static org.apache.flink.configuration.ConfigOptions.key;

import dev.foreshadow.connectors.config.Options;
import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/** The history database and its sink ({@code history.*}). */
public final class HistoryOptions {

    public static final ConfigOption<String> HISTORY_JDBC_URL =
            key("history.jdbc-url")
                    .stringType()
                    .defaultValue("jdbc:postgresql://localhost:5432/foreshadow")
                    .withDescription(
                            "JDBC URL of the history database (PostgreSQL or TimescaleDB); TLS via sslmode=verify-full.");
    public static final ConfigOption<String> HISTORY_USER =
            key("history.user")
                    .stringType()
                    .defaultValue("foreshadow")
                    .withDescription("Database user of the job.");
    public static final ConfigOption<String> HISTORY_PASSWORD_FILE =
            key("history.password-file")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "File holding the database password (else the FORESHADOW_DB_PASSWORD environment variable).");
    public static final ConfigOption<String> HISTORY_ADMIN_USER =
            key("history.admin-user")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Database login of foreshadow_admin that applies the migrations before a job starts (else history.user); the job itself runs as history.user, a login of foreshadow_writer or foreshadow_allocator.");
    public static final ConfigOption<String> HISTORY_ADMIN_PASSWORD_FILE =
            key("history.admin-password-file")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "File holding history.admin-user's password (else the FORESHADOW_DB_ADMIN_PASSWORD environment variable).");
    public static final ConfigOption<Duration> HISTORY_RETENTION =
            key("history.retention")
                    .durationType()
                    .defaultValue(Duration.ofDays(180))
                    .withDescription(
                            "How long history is kept (e.g. 180 d, 365 d); older partitions or chunks are dropped, and baselines of a workflow type silent this long are forgotten.");
    public static final ConfigOption<Integer> HISTORY_BATCH_SIZE =
            key("history.batch-size")
                    .intType()
                    .defaultValue(5000)
                    .withDescription("Rows per COPY batch of the history sink.");
    public static final ConfigOption<Duration> HISTORY_FLUSH_INTERVAL =
            key("history.flush-interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(1))
                    .withDescription("Longest time a row waits in the history sink's buffer.");

    public static final ConfigOption<Duration> HISTORY_OUTAGE_TIMEOUT =
            key("history.outage-timeout")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(10))
                    .withDescription(
                            "How long the history sink retries an unreachable database (backing off,"
                                    + " holding the job back) before it fails the job, which then restarts"
                                    + " from its last checkpoint.");

    private HistoryOptions() {}

    public static HistorySettings settings(Configuration c) {
        return new HistorySettings(
                PostgresSettings.of(
                        c.get(HISTORY_JDBC_URL),
                        c.get(HISTORY_USER),
                        Options.path(c, HISTORY_PASSWORD_FILE)),
                Options.positive(c, HISTORY_RETENTION),
                Options.atLeast(c, HISTORY_BATCH_SIZE, 1),
                Options.positive(c, HISTORY_FLUSH_INTERVAL),
                Options.positive(c, HISTORY_OUTAGE_TIMEOUT));
    }

    /**
     * The login that applies the migrations before a job starts: {@code history.admin-user} (its
     * password from {@code history.admin-password-file}, else {@value
     * PostgresSettings#ADMIN_PASSWORD_ENV}), else the job's own login. Kept out of {@link
     * HistorySettings}, so the admin's password never travels with the job to its task managers.
     */
    public static PostgresSettings migrator(Configuration c) {
        String admin = c.get(HISTORY_ADMIN_USER);
        if (admin == null) {
            return settings(c).database();
        }
        return PostgresSettings.of(
                c.get(HISTORY_JDBC_URL),
                admin,
                Options.path(c, HISTORY_ADMIN_PASSWORD_FILE),
                PostgresSettings.ADMIN_PASSWORD_ENV);
    }
}
