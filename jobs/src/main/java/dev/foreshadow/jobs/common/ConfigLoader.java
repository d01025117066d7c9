package dev.foreshadow.jobs.common;

import dev.foreshadow.connectors.config.Options;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * Reads a job's settings: a file of flat {@code key: value} (or {@code key=value}) lines, then
 * {@code -D} overrides. The sections a job knows ({@code kafka}, {@code history}, ...) are the
 * first parts of the keys of its option classes; a key in one of those sections that no option
 * declares is rejected with its name, so a typo never falls back to a default silently. Keys of
 * other sections (Flink's own, another job's) are passed through.
 */
public final class ConfigLoader {

    private ConfigLoader() {}

    /**
     * Keys of a known section that no option declares but that are valid all the same (templated
     * keys such as a pool's {@code allocation.pool.<name>.min}).
     */
    public interface KeyRule {
        /** Null when {@code key} is valid given {@code values}, else the one-line error. */
        String check(String key, Map<String, String> values);
    }

    public static Configuration load(
            Path file, Map<String, String> overrides, List<Class<?>> optionClasses) {
        return load(file, overrides, optionClasses, (key, values) -> unknown(key));
    }

    public static Configuration load(
            Path file, Map<String, String> overrides, List<Class<?>> optionClasses, KeyRule rule) {
        Map<String, String> values = new HashMap<>();
        if (file != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
            }
            p.stringPropertyNames().forEach(k -> values.put(k.trim(), p.getProperty(k).trim()));
        }
        values.putAll(overrides);
        Set<String> known =
                optionClasses.stream()
                        .flatMap(c -> Options.declaredIn(c).stream())
                        .map(ConfigOption::key)
                        .collect(Collectors.toSet());
        Set<String> sections =
                known.stream().map(ConfigLoader::section).collect(Collectors.toSet());
        for (String k : values.keySet()) {
            if (sections.contains(section(k)) && !known.contains(k)) {
                String error = rule.check(k, values);
                if (error != null) {
                    throw new IllegalArgumentException(error);
                }
            }
        }
        return Configuration.fromMap(values);
    }

    /** The error of a key no option declares. */
    public static String unknown(String key) {
        return "unknown setting " + key + " (see the README's configuration table)";
    }

    private static String section(String key) {
        int dot = key.indexOf('.');
        return dot < 0 ? key : key.substring(0, dot);
    }
}
