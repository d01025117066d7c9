package dev.foreshadow.connectors.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.foreshadow.connectors.embedded.EmbeddedDatabase;
import dev.foreshadow.connectors.tls.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The history database over TLS, configured only through {@code history.*}: a real PostgreSQL that
 * accepts TCP logins over TLS only (a generated certificate for 127.0.0.1), reached with {@code
 * sslmode=verify-full} and the password from a file.
 */
class PostgresTlsTest {

    @TempDir static Path runDir;
    private static EmbeddedDatabase db;
    private static TestCertificates server;
    private static TestCertificates stranger;

    @BeforeAll
    static void startDatabaseThatAcceptsOnlyTls() throws Exception {
        Path tls = runDir.resolve("tls");
        server = TestCertificates.generate(tls, "db");
        stranger = TestCertificates.generate(tls, "stranger");
        Path hba =
                Files.writeString(
                        tls.resolve("pg_hba.conf"),
                        "local all all trust\n"
                                + "hostssl all postgres 127.0.0.1/32 trust\n"
                                + "hostssl all all 127.0.0.1/32 scram-sha-256\n"
                                + "hostnossl all all 127.0.0.1/32 reject\n");
        Files.setPosixFilePermissions(tls, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(hba, PosixFilePermissions.fromString("rw-r--r--"));
        db =
                EmbeddedDatabase.start(
                        runDir,
                        Map.of(
                                "ssl", "on",
                                "ssl_cert_file", server.certificatePem.toString(),
                                "ssl_key_file", server.keyPem.toString(),
                                "hba_file", hba.toString(),
                                "password_encryption", "scram-sha-256"));
        // the embedded superuser needs no password, over TLS only (the driver's default prefers it)
        try (Connection c = db.settings().connect();
                Statement s = c.createStatement()) {
            s.execute("CREATE ROLE tls_admin LOGIN SUPERUSER PASSWORD 'admin-pw-7c1e'");
        }
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        db.close();
    }

    @Test
    void theHistorySettingsReachTheDatabaseOverVerifiedTls() throws Exception {
        Path password = Files.writeString(runDir.resolve("db-password"), "admin-pw-7c1e\n");
        PostgresSettings settings =
                HistoryOptions.settings(
                                Configuration.fromMap(
                                        Map.of(
                                                "history.jdbc-url",
                                                db.jdbcUrl()
                                                        + "?sslmode=verify-full&sslrootcert="
                                                        + server.certificatePem,
                                                "history.user",
                                                "tls_admin",
                                                "history.password-file",
                                                password.toString())))
                        .database();

        try (Connection c = settings.connect();
                Statement s = c.createStatement()) {
            assertThat(Migrations.apply(c)).contains("V011__access.sql");
            try (ResultSet rs =
                    s.executeQuery(
                            "SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getBoolean(1)).as("the session is encrypted").isTrue();
                assertThat(rs.getString(2)).startsWith("TLSv1.");
            }
        }
        assertThat(settings.toString()).doesNotContain("admin-pw-7c1e");
    }

    @Test
    void aConnectionWithoutTlsIsRefused() {
        assertThatThrownBy(
                        () ->
                                new PostgresSettings(
                                                db.jdbcUrl() + "?sslmode=disable",
                                                "tls_admin",
                                                "admin-pw-7c1e")
                                        .connect())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("no encryption");
    }

    @Test
    void aServerWhoseCertificateIsNotTheTrustedOneIsRefused() {
        assertThatThrownBy(
                        () ->
                                new PostgresSettings(
                                                db.jdbcUrl()
                                                        + "?sslmode=verify-full&sslrootcert="
                                                        + stranger.certificatePem,
                                                "tls_admin",
                                                "admin-pw-7c1e")
                                        .connect())
                .isInstanceOf(SQLException.class)
                .hasMessageNotContaining("admin-pw-7c1e");
    }
}
