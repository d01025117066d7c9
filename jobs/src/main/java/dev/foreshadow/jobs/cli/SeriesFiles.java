package dev.foreshadow.jobs.cli;

import dev.foreshadow.models.forecast.Series;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the series files that the evaluations take; every malformed input is a {@link
 * CliException}.
 */
final class SeriesFiles {

    private SeriesFiles() {}

    /** M4 series (training part followed by the test part) and where each test part starts. */
    record M4(List<Series> series, int[] origins) {}

    /**
     * The M4 Hourly training and test files of {@code dir} joined per series; {@code everyTenth}
     * keeps series 1, 11, 21, ...
     */
    static M4 readM4Hourly(Path dir, int horizon, boolean everyTenth) {
        Path trainFile = dir.resolve("Dataset/Train/Hourly-train.csv");
        Path testFile = dir.resolve("Dataset/Test/Hourly-test.csv");
        if (!Files.isRegularFile(trainFile) || !Files.isRegularFile(testFile)) {
            throw new CliException(
                    dir
                            + " has no Dataset/Train/Hourly-train.csv and Dataset/Test/Hourly-test.csv");
        }
        List<Series> train = readM4(trainFile);
        List<Series> test = readM4(testFile);
        if (train.size() != test.size()) {
            throw new CliException("train and test files hold different numbers of series");
        }
        List<Series> full = new ArrayList<>();
        List<Integer> origins = new ArrayList<>();
        for (int i = 0; i < train.size(); i++) {
            if (everyTenth && i % 10 != 0) {
                continue;
            }
            Series tr = train.get(i);
            Series te = test.get(i);
            if (!tr.id().equals(te.id()) || te.length() != horizon) {
                throw new CliException("test series " + te.id() + " does not match " + tr.id());
            }
            double[] values = new double[tr.length() + te.length()];
            System.arraycopy(tr.values(), 0, values, 0, tr.length());
            System.arraycopy(te.values(), 0, values, tr.length(), te.length());
            full.add(Series.of(tr.id(), values));
            origins.add(tr.length());
        }
        return new M4(full, origins.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * An M4 file ({@code "V1","V2",...} header, then {@code "H1","605","586",...} with empty
     * trailing cells).
     */
    private static List<Series> readM4(Path file) {
        List<Series> out = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file)) {
            String line = in.readLine();
            int row = 1;
            while ((line = in.readLine()) != null) {
                row++;
                String[] cells = line.split(",");
                String id = unquote(cells[0]);
                List<Double> values = new ArrayList<>();
                for (int i = 1; i < cells.length; i++) {
                    String cell = unquote(cells[i]);
                    if (!cell.isEmpty() && !cell.equals("NA")) {
                        try {
                            values.add(Double.parseDouble(cell));
                        } catch (NumberFormatException e) {
                            throw new CliException(
                                    file + " row " + row + ": not a number: " + cell);
                        }
                    }
                }
                out.add(Series.of(id, values.stream().mapToDouble(Double::doubleValue).toArray()));
            }
        } catch (IOException e) {
            throw new CliException("cannot read " + file + ": " + e.getMessage());
        }
        return out;
    }

    private static String unquote(String cell) {
        String c = cell.trim();
        return c.length() >= 2 && c.startsWith("\"") && c.endsWith("\"")
                ? c.substring(1, c.length() - 1)
                : c;
    }

    /**
     * A long CSV {@code series_id,timestamp,value[,covariate...]} with a header. Timestamps are
     * ISO-8601 instants (or dates); each series must be regularly spaced (missing steps are filled
     * with 0 and the previous covariates: arrivals that were not counted); rows with an empty value
     * are future steps whose covariates are known.
     */
    /** The series of a long CSV, the names of its covariate columns and the step they share. */
    record Table(List<Series> series, List<String> covariates, Duration step) {}

    static Table readLong(Path file, boolean withCovariates) {
        Map<String, TreeMap<Long, double[]>> rows = new LinkedHashMap<>();
        Map<String, TreeMap<Long, Boolean>> hasValue = new LinkedHashMap<>();
        int covariates;
        List<String> covariateNames;
        try (BufferedReader in = Files.newBufferedReader(file)) {
            String header = in.readLine();
            if (header == null) {
                throw new CliException(file + " is empty");
            }
            String[] names = header.split(",", -1);
            if (names.length < 3) {
                throw new CliException(
                        file + ": header must be series_id,timestamp,value[,covariate...]");
            }
            covariates = names.length - 3;
            covariateNames =
                    List.of(names).subList(3, names.length).stream().map(String::trim).toList();
            String line;
            int row = 1;
            while ((line = in.readLine()) != null) {
                row++;
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",", -1);
                if (cells.length != names.length) {
                    throw new CliException(
                            file
                                    + " row "
                                    + row
                                    + ": "
                                    + cells.length
                                    + " cells, header has "
                                    + names.length);
                }
                long seconds = parseTime(cells[1].trim(), file, row);
                double[] v = new double[1 + covariates];
                boolean present = !cells[2].isBlank();
                for (int i = 2; i < cells.length; i++) {
                    if (i == 2 && !present) {
                        continue;
                    }
                    try {
                        v[i - 2] = Double.parseDouble(cells[i].trim());
                    } catch (NumberFormatException e) {
                        throw new CliException(
                                file
                                        + " row "
                                        + row
                                        + ": not a number in "
                                        + names[i]
                                        + ": "
                                        + cells[i]);
                    }
                    if (!Double.isFinite(v[i - 2])) {
                        throw new CliException(
                                file + " row " + row + ": " + names[i] + " is not finite");
                    }
                }
                String id = cells[0].trim();
                if (rows.computeIfAbsent(id, k -> new TreeMap<>()).put(seconds, v) != null) {
                    throw new CliException(
                            file
                                    + " row "
                                    + row
                                    + ": duplicate timestamp "
                                    + cells[1]
                                    + " for "
                                    + id);
                }
                hasValue.computeIfAbsent(id, k -> new TreeMap<>()).put(seconds, present);
            }
        } catch (IOException e) {
            throw new CliException("cannot read " + file + ": " + e.getMessage());
        }
        if (rows.isEmpty()) {
            throw new CliException(file + " has no rows");
        }
        List<Series> out = new ArrayList<>();
        long commonStep = 0;
        for (Map.Entry<String, TreeMap<Long, double[]>> e : rows.entrySet()) {
            TreeMap<Long, double[]> r = e.getValue();
            long step = Long.MAX_VALUE;
            Long previous = null;
            for (long t : r.keySet()) {
                if (previous != null) {
                    step = Math.min(step, t - previous);
                }
                previous = t;
            }
            if (r.size() < 2) {
                throw new CliException(e.getKey() + ": fewer than two rows");
            }
            long first = r.firstKey();
            long last = r.lastKey();
            long lastValue =
                    hasValue.get(e.getKey()).entrySet().stream()
                            .filter(Map.Entry::getValue)
                            .mapToLong(Map.Entry::getKey)
                            .max()
                            .orElseThrow(() -> new CliException(e.getKey() + ": no values"));
            for (long t : r.keySet()) {
                if ((t - first) % step != 0) {
                    throw new CliException(e.getKey() + ": timestamps are not regularly spaced");
                }
            }
            if (commonStep != 0 && step != commonStep) {
                throw new CliException(
                        e.getKey()
                                + ": a step of "
                                + step
                                + " s, where the other series have "
                                + commonStep
                                + " s");
            }
            commonStep = step;
            int n = (int) ((lastValue - first) / step) + 1;
            int total = (int) ((last - first) / step) + 1;
            double[] values = new double[n];
            double[][] cov =
                    withCovariates && covariates > 0 ? new double[total][covariates] : null;
            double[] current = new double[1 + covariates];
            for (int i = 0; i < total; i++) {
                double[] v = r.get(first + i * step);
                if (v != null) {
                    current = v;
                }
                if (i < n) {
                    values[i] = v != null ? v[0] : 0;
                }
                if (cov != null) {
                    System.arraycopy(current, 1, cov[i], 0, covariates);
                }
            }
            out.add(new Series(e.getKey(), values, cov, Math.floorDiv(first, step)));
        }
        return new Table(out, covariateNames, Duration.ofSeconds(commonStep));
    }

    private static long parseTime(String text, Path file, int row) {
        try {
            if (text.length() == 10) {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
            }
            return Instant.parse(text).getEpochSecond();
        } catch (DateTimeParseException e) {
            throw new CliException(file + " row " + row + ": not an ISO-8601 timestamp: " + text);
        }
    }
}
