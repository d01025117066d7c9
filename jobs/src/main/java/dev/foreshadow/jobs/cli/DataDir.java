package dev.foreshadow.jobs.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the public datasets are: the flag when given, else {@code $FORESHADOW_DATA}, else the first
 * {@code shared/data} found walking up from the working directory (the layout of a checkout beside
 * {@code shared/}).
 */
public final class DataDir {

    public static final String ENV = "FORESHADOW_DATA";

    private DataDir() {}

    /**
     * The dataset folder {@code sub} (e.g. {@code "nab"}) under the data directory, or {@code flag}
     * when given.
     */
    public static Path resolve(Path flag, String sub) {
        if (flag != null) {
            if (!Files.isDirectory(flag)) {
                throw new CliException(flag + " is not a directory");
            }
            return flag;
        }
        Path root = root();
        Path dir = root.resolve(sub);
        if (!Files.isDirectory(dir)) {
            throw new CliException(
                    "no "
                            + sub
                            + " dataset under "
                            + root
                            + " (give its folder, or set "
                            + ENV
                            + ")");
        }
        return dir;
    }

    public static Path root() {
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared").resolve("data");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new CliException(
                "cannot find the datasets: set " + ENV + " to the shared/data folder");
    }
}
