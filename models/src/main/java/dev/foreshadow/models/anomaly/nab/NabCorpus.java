package dev.foreshadow.models.anomaly.nab;

import dev.foreshadow.models.json.MiniJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A NAB corpus as laid out by numenta/NAB: every CSV under {@code DIR/data} ({@code
 * timestamp,value}), the windows of {@code DIR/labels/combined_windows.json} and the cost profiles
 * of {@code DIR/config/profiles.json}. Files are sorted by name; a data file without an entry in
 * the windows file is rejected, as NAB would.
 */
public final class NabCorpus {

    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSS]");

    private final List<NabFile> files;
    private final List<NabProfile> profiles;
    private final Set<String> heldOut;

    private NabCorpus(List<NabFile> files, List<NabProfile> profiles, Set<String> heldOut) {
        this.files = List.copyOf(files);
        this.profiles = List.copyOf(profiles);
        this.heldOut = Set.copyOf(heldOut);
    }

    public List<NabFile> files() {
        return files;
    }

    /**
     * The profiles in the order of {@code profiles.json} (standard, reward_low_FP_rate,
     * reward_low_FN_rate).
     */
    public List<NabProfile> profiles() {
        return profiles;
    }

    /**
     * Whether {@code file} is held out of development: in every data folder whose name starts with
     * {@code real}, every second file in name order (the 2nd, 4th, ...). The rule was fixed before
     * the detector was developed against the other files; the artificial files and the rest of the
     * real ones are the development set.
     */
    public boolean heldOut(NabFile file) {
        return heldOut.contains(file.name());
    }

    /** The names of the held-out files of the whole corpus, by the rule of {@link #heldOut}. */
    private static Set<String> heldOutNames(List<NabFile> files) {
        Set<String> names = new HashSet<>();
        Map<String, Integer> position = new HashMap<>();
        for (NabFile f : files) {
            String folder = folder(f);
            if (folder.startsWith("real") && position.merge(folder, 1, Integer::sum) % 2 == 0) {
                names.add(f.name());
            }
        }
        return names;
    }

    /**
     * The held-out files ({@code true}) or the development files ({@code false}), which keep the
     * split of this corpus.
     */
    public NabCorpus split(boolean heldOut) {
        return new NabCorpus(
                files.stream().filter(f -> heldOut(f) == heldOut).toList(), profiles, this.heldOut);
    }

    private static String folder(NabFile f) {
        int slash = f.name().lastIndexOf('/');
        return slash < 0 ? "" : f.name().substring(0, slash);
    }

    /**
     * Loads the corpus under {@code dir}; throws {@link IllegalArgumentException} naming what is
     * missing or wrong.
     */
    public static NabCorpus load(Path dir) {
        Path data = dir.resolve("data");
        Path labels = dir.resolve("labels").resolve("combined_windows.json");
        Path config = dir.resolve("config").resolve("profiles.json");
        for (Path p : List.of(data, labels, config)) {
            if (!Files.exists(p)) {
                throw new IllegalArgumentException("not a NAB folder: " + p + " is missing");
            }
        }
        Map<?, ?> windows = (Map<?, ?>) MiniJson.parse(read(labels));
        List<NabFile> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(data)) {
            for (Path csv : walk.filter(p -> p.toString().endsWith(".csv")).sorted().toList()) {
                String name = data.relativize(csv).toString().replace('\\', '/');
                Object fileWindows = windows.get(name);
                if (fileWindows == null) {
                    throw new IllegalArgumentException(name + " has no entry in " + labels);
                }
                files.add(readFile(csv, name, (List<?>) fileWindows));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no CSV files under " + data);
        }
        return new NabCorpus(files, readProfiles(config), heldOutNames(files));
    }

    static List<NabProfile> readProfiles(Path config) {
        Map<?, ?> root = (Map<?, ?>) MiniJson.parse(read(config));
        List<NabProfile> profiles = new ArrayList<>();
        for (Map.Entry<?, ?> e : root.entrySet()) {
            Map<?, ?> cost = (Map<?, ?>) ((Map<?, ?>) e.getValue()).get("CostMatrix");
            profiles.add(
                    new NabProfile(
                            (String) e.getKey(),
                            ((Double) cost.get("tpWeight")),
                            ((Double) cost.get("fpWeight")),
                            ((Double) cost.get("fnWeight"))));
        }
        return profiles;
    }

    static NabFile readFile(Path csv, String name, List<?> windowLimits) {
        List<String> lines;
        try {
            lines = Files.readAllLines(csv);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int n = 0;
        LocalDateTime[] stamps = new LocalDateTime[lines.size()];
        double[] values = new double[lines.size()];
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] cells = line.split(",");
            try {
                stamps[n] = parseStamp(cells[0]);
                values[n] = Double.parseDouble(cells[1]);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(
                        name + " line " + (i + 1) + ": cannot read '" + line + "'");
            }
            n++;
        }
        stamps = Arrays.copyOf(stamps, n);
        values = Arrays.copyOf(values, n);
        List<int[]> windows = new ArrayList<>();
        for (Object w : windowLimits) {
            List<?> limits = (List<?>) w;
            LocalDateTime start = parseStamp((String) limits.get(0));
            LocalDateTime end = parseStamp((String) limits.get(1));
            int first = 0;
            while (first < n && stamps[first].isBefore(start)) {
                first++;
            }
            int last = n - 1;
            while (last >= 0 && stamps[last].isAfter(end)) {
                last--;
            }
            if (first > last) {
                throw new IllegalArgumentException(name + ": window " + limits + " holds no row");
            }
            windows.add(new int[] {first, last});
        }
        return new NabFile(name, stamps, values, windows);
    }

    static LocalDateTime parseStamp(String s) {
        return LocalDateTime.parse(s.trim(), STAMP);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
