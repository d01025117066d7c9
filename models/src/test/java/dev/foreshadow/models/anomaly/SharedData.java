package dev.foreshadow.models.anomaly;

import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the shared public datasets for tests: {@code $FORESHADOW_DATA}, else {@code
 * ../../shared/data}.
 */
public final class SharedData {

    private SharedData() {}

    /** The dataset folder {@code sub}; fails the test (never skips) when it is missing. */
    public static Path dir(String sub) {
        String env = System.getenv("FORESHADOW_DATA");
        Path root = env != null && !env.isBlank() ? Path.of(env) : Path.of("../../shared/data");
        Path dir = root.resolve(sub);
        if (!Files.isDirectory(dir)) {
            fail(
                    "shared dataset "
                            + dir.toAbsolutePath().normalize()
                            + " is missing: set FORESHADOW_DATA to the shared/data folder");
        }
        return dir;
    }
}
