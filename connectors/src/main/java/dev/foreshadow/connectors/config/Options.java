package dev.foreshadow.connectors.config;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * What every {@code *Options} class shares: listing its options (for the loader and the README's
 * table) and reading values with a check whose message names the key. Each module's options live
 * beside the code they configure (KafkaOptions, HistoryOptions, PrivacyOptions, CostOptions, and
 * the jobs' own); a job reads only the classes it uses.
 */
public final class Options {

    private Options() {}

    /** The public static {@link ConfigOption} fields of {@code holder}, in declaration order. */
    public static List<ConfigOption<?>> declaredIn(Class<?> holder) {
        List<ConfigOption<?>> options = new ArrayList<>();
        for (Field f : holder.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == ConfigOption.class) {
                try {
                    options.add((ConfigOption<?>) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return options;
    }

    public static Duration positive(Configuration c, ConfigOption<Duration> o) {
        Duration d = c.get(o);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(o.key() + " must be positive, got " + d);
        }
        return d;
    }

    public static Duration notNegativeDuration(Configuration c, ConfigOption<Duration> o) {
        Duration d = c.get(o);
        if (d.isNegative()) {
            throw new IllegalArgumentException(o.key() + " must not be negative, got " + d);
        }
        return d;
    }

    public static double between(Configuration c, ConfigOption<Double> o, double low, double high) {
        double value = c.get(o);
        if (!(value >= low && value <= high)) {
            throw new IllegalArgumentException(
                    o.key()
                            + " must be from "
                            + low
                            + (high == Double.MAX_VALUE ? "" : " to " + high)
                            + ", got "
                            + value);
        }
        return value;
    }

    /** A string option that must be set. */
    public static String required(Configuration c, ConfigOption<String> o) {
        String v = c.get(o);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(o.key() + " is missing");
        }
        return v;
    }

    public static int atLeast(Configuration c, ConfigOption<Integer> o, int min) {
        int value = c.get(o);
        if (value < min) {
            throw new IllegalArgumentException(
                    o.key() + " must be at least " + min + ", got " + value);
        }
        return value;
    }

    public static double above(Configuration c, ConfigOption<Double> o, double bound) {
        double value = c.get(o);
        if (!(value > bound) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(
                    o.key() + " must be a number above " + bound + ", got " + value);
        }
        return value;
    }

    public static double notNegative(Configuration c, ConfigOption<Double> o) {
        double value = c.get(o);
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(o.key() + " must be a number >= 0, got " + value);
        }
        return value;
    }

    /** The path a string option names, or null when it is not set. */
    public static Path path(Configuration c, ConfigOption<String> o) {
        String s = c.get(o);
        return s == null ? null : Path.of(s);
    }
}
