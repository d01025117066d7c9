package dev.foreshadow.connectors.embedded;

import dev.foreshadow.connectors.history.PostgresSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

/**
 * A real PostgreSQL server (zonky's embedded binaries, linux-amd64) on a free loopback port, with
 * its binaries and data under {@code dir}. Tuned for throwaway data: no fsync.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    public static EmbeddedDatabase start(Path dir) throws IOException {
        return start(dir, Map.of());
    }

    /**
     * As {@link #start(Path)}, with more server settings (e.g. {@code ssl}, {@code ssl_cert_file},
     * {@code hba_file}: the TLS test).
     */
    public static EmbeddedDatabase start(Path dir, Map<String, String> serverConfig)
            throws IOException {
        // when this process is root the server runs as 'nobody', so its folders must be reachable
        // by it
        Path binaries = Files.createDirectories(dir.resolve("postgres-binaries"));
        Path data = dir.resolve("postgres");
        // zonky otherwise makes java.io.tmpdir/embedded-pg even when the working directory is
        // overridden
        System.setProperty("ot.epg.working-dir", binaries.toString());
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
        serverConfig.forEach(builder::setServerConfig);
        return new EmbeddedDatabase(
                builder.setDataDirectory(data)
                        .setCleanDataDirectory(true)
                        .setOverrideWorkingDirectory(binaries.toFile())
                        .setServerConfig("listen_addresses", "127.0.0.1")
                        // the socket in the data folder, not /tmp: the run leaves nothing outside
                        // its folder
                        .setServerConfig("unix_socket_directories", data.toString())
                        .setServerConfig("max_connections", "100")
                        .setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .setServerConfig("full_page_writes", "off")
                        .setPGStartupWait(Duration.ofSeconds(60))
                        .start());
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
    }

    /** The database as its superuser ({@code postgres}, no password: loopback only). */
    public PostgresSettings settings() {
        return new PostgresSettings(jdbcUrl(), "postgres", null);
    }

    /**
     * The database as login {@code name}, created (if it does not exist) as a member of {@code
     * role} only: how the demo and the integration tests run the jobs ({@code foreshadow_writer},
     * {@code foreshadow_allocator}) once the migrations ran as the superuser.
     */
    public PostgresSettings login(String name, String role) throws SQLException {
        try (Connection c = settings().connect();
                Statement s = c.createStatement()) {
            s.execute(
                    String.format(
                            "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '%s')"
                                    + " THEN CREATE ROLE \"%s\" LOGIN IN ROLE \"%s\"; END IF; END $$",
                            name, name, role));
        }
        return new PostgresSettings(jdbcUrl(), name, null);
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
