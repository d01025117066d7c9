package dev.foreshadow.connectors.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The database settings never show a password, wherever the user put it. */
class PostgresSettingsTest {

    private static final String SECRET = "s3cr3t-Pa55";

    @TempDir Path dir;

    @Test
    void aPasswordInsideTheJdbcUrlIsMaskedWhenTheSettingsArePrinted() {
        PostgresSettings s =
                new PostgresSettings(
                        "jdbc:postgresql://db:5432/foreshadow?sslmode=verify-full&password="
                                + SECRET
                                + "&ApplicationName=x",
                        "job",
                        null);

        assertThat(s.toString())
                .doesNotContain(SECRET)
                .isEqualTo(
                        "jdbc:postgresql://db:5432/foreshadow?sslmode=verify-full&password=***"
                                + "&ApplicationName=x as job");
    }

    @Test
    void sslPasswordsAndUserInfoPasswordsAreMaskedToo() {
        assertThat(
                        PostgresSettings.masked(
                                "jdbc:postgresql://job:" + SECRET + "@db/f?SSLPASSWORD=" + SECRET))
                .doesNotContain(SECRET)
                .isEqualTo("jdbc:postgresql://job:***@db/f?SSLPASSWORD=***");
    }

    @Test
    void aRejectedUrlIsReportedWithItsPasswordMasked() {
        assertThatThrownBy(
                        () ->
                                new PostgresSettings(
                                        "jdbc:mysql://db/f?password=" + SECRET, "u", null))
                .hasMessageContaining("password=***")
                .hasMessageNotContaining(SECRET);
    }

    @Test
    void aFailedConnectionNamesNeitherPasswordNorItsFile() throws Exception {
        Path file = Files.writeString(dir.resolve("db-password"), SECRET + "\n");
        PostgresSettings s =
                PostgresSettings.of(
                        "jdbc:postgresql://127.0.0.1:1/f?connectTimeout=2", "job", file);

        assertThat(s.toString()).doesNotContain(SECRET);
        assertThatThrownBy(s::connect)
                .isInstanceOf(SQLException.class)
                .hasMessageNotContaining(SECRET);
    }

    @Test
    void anUnreadablePasswordFileIsNamedWithoutItsContent() {
        assertThatThrownBy(
                        () ->
                                PostgresSettings.of(
                                        "jdbc:postgresql://db/f", "job", dir.resolve("missing")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing");
    }
}
