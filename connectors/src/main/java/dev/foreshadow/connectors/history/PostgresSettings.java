package dev.foreshadow.connectors.history;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * How to reach the history database. The password comes from a file or an environment variable,
 * never from the command line; {@link #toString()} and every message show the URL with any password
 * it holds masked ({@link #masked}). TLS is set in the JDBC URL ({@code sslmode=verify-full}).
 */
public final class PostgresSettings implements Serializable {

    private static final long serialVersionUID = 1L;
    public static final String PASSWORD_ENV = "FORESHADOW_DB_PASSWORD";
    public static final String ADMIN_PASSWORD_ENV = "FORESHADOW_DB_ADMIN_PASSWORD";

    private final String jdbcUrl;
    private final String user;
    private final String password;

    public PostgresSettings(String jdbcUrl, String user, String password) {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException(
                    "history.jdbc-url must start with jdbc:postgresql:, got " + masked(jdbcUrl));
        }
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
    }

    /**
     * Settings whose password is read from {@code passwordFile}, else from {@value #PASSWORD_ENV},
     * else none.
     */
    public static PostgresSettings of(String jdbcUrl, String user, Path passwordFile) {
        return of(jdbcUrl, user, passwordFile, PASSWORD_ENV);
    }

    /**
     * Settings whose password is read from {@code passwordFile}, else from the environment variable
     * {@code passwordEnv}, else none.
     */
    public static PostgresSettings of(
            String jdbcUrl, String user, Path passwordFile, String passwordEnv) {
        String password = System.getenv(passwordEnv);
        if (passwordFile != null) {
            try {
                password = Files.readString(passwordFile).strip();
            } catch (IOException e) {
                throw new IllegalArgumentException(
                        "cannot read the password file " + passwordFile + ": " + e.getMessage());
            }
        }
        return new PostgresSettings(jdbcUrl, user, password);
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public Connection connect() throws SQLException {
        Properties p = new Properties();
        if (user != null) {
            p.setProperty("user", user);
        }
        if (password != null) {
            p.setProperty("password", password);
        }
        p.setProperty("ApplicationName", "foreshadow");
        // The driver itself, not DriverManager: on a Flink TaskManager DriverManager only knows the
        // driver class of the first job that used it (loaded by that job's classloader) and
        // answers "No suitable driver found" to a job submitted after it (e.g. resumed from a
        // savepoint), which then fails once before it recovers.
        Connection c = new org.postgresql.Driver().connect(jdbcUrl, p);
        if (c == null) {
            throw new SQLException("not a PostgreSQL JDBC URL: " + masked(jdbcUrl), "08001");
        }
        return c;
    }

    /** The login's name, or null for the driver's default. */
    public String user() {
        return user;
    }

    @Override
    public String toString() {
        return masked(jdbcUrl) + (user == null ? "" : " as " + user);
    }

    /**
     * {@code url} with the values of its secret parameters ({@code password}, {@code sslpassword},
     * case-insensitive) and of a {@code user:password@} part replaced by {@code ***}.
     */
    public static String masked(String url) {
        if (url == null) {
            return null;
        }
        return SECRET_USERINFO
                .matcher(SECRET_PARAMETER.matcher(url).replaceAll("$1***"))
                .replaceAll("$1***@");
    }

    private static final Pattern SECRET_PARAMETER =
            Pattern.compile("(?i)([?&;](?:ssl)?password=)[^&;]*");
    private static final Pattern SECRET_USERINFO = Pattern.compile("(//[^/:@?&]*:)[^/@?&]*@");
}
