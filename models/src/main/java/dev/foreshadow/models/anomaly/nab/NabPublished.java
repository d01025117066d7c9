package dev.foreshadow.models.anomaly.nab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The published NAB results of other detectors ({@code
 * DIR/results/<detector>/<detector>_<profile>_scores.csv}), re-totalled over exactly the files of a
 * corpus and normalised the same way as {@link NabScorer} (null detector {@code -A_fn} per window,
 * perfect {@code A_tp} per window), so they compare like with like.
 */
public final class NabPublished {

    private NabPublished() {}

    /**
     * One detector's normalised totals, one per profile in the corpus order; absent when a file is
     * missing.
     */
    public record Row(String detector, double[] normalised) {}

    /**
     * Every detector under {@code DIR/results} that has a published score for every file of the
     * corpus.
     */
    public static List<Row> totals(Path nabDir, NabCorpus corpus) {
        Path results = nabDir.resolve("results");
        List<Row> rows = new ArrayList<>();
        if (!Files.isDirectory(results)) {
            return rows;
        }
        int windows = 0;
        for (NabFile f : corpus.files()) {
            windows += f.windows().size();
        }
        try (Stream<Path> dirs = Files.list(results)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                String detector = dir.getFileName().toString();
                double[] normalised = new double[corpus.profiles().size()];
                boolean complete = true;
                for (int p = 0; p < normalised.length && complete; p++) {
                    NabProfile profile = corpus.profiles().get(p);
                    Path csv = dir.resolve(detector + "_" + profile.name() + "_scores.csv");
                    Map<String, Double> perFile = Files.exists(csv) ? read(csv) : Map.of();
                    double total = 0;
                    for (NabFile f : corpus.files()) {
                        Double s = perFile.get(f.name());
                        if (s == null) {
                            complete = false;
                            break;
                        }
                        total += s;
                    }
                    double nullScore = -profile.fnWeight() * windows;
                    double perfect = profile.tpWeight() * windows;
                    normalised[p] = 100 * (total - nullScore) / (perfect - nullScore);
                }
                if (complete) {
                    rows.add(new Row(detector, normalised));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    private static Map<String, Double> read(Path csv) throws IOException {
        Map<String, Double> m = new HashMap<>();
        List<String> lines = Files.readAllLines(csv);
        if (lines.isEmpty()) {
            return m;
        }
        List<String> header = List.of(lines.get(0).split(","));
        int file = header.indexOf("File");
        int score = header.indexOf("Score");
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split(",");
            if (c.length > Math.max(file, score) && c[file].endsWith(".csv")) {
                m.put(c[file], Double.parseDouble(c[score]));
            }
        }
        return m;
    }
}
