package dev.foreshadow.models.anomaly.nab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NabCorpusTest {

    private static final String[] FILES = {
        "artificialWithAnomaly/a1.csv",
        "artificialWithAnomaly/a2.csv",
        "realKnown/r1.csv",
        "realKnown/r2.csv",
        "realKnown/r3.csv",
        "realKnown/r4.csv",
        "realOther/o1.csv",
        "realOther/o2.csv"
    };

    @Test
    void holdsOutEverySecondFileOfEachRealFolder(@TempDir Path dir) throws IOException {
        NabCorpus corpus = NabCorpus.load(corpus(dir));

        assertThat(corpus.split(true).files())
                .extracting(NabFile::name)
                .containsExactly("realKnown/r2.csv", "realKnown/r4.csv", "realOther/o2.csv");
        assertThat(corpus.split(false).files())
                .extracting(NabFile::name)
                .containsExactly(
                        "artificialWithAnomaly/a1.csv",
                        "artificialWithAnomaly/a2.csv",
                        "realKnown/r1.csv",
                        "realKnown/r3.csv",
                        "realOther/o1.csv");
        assertThat(corpus.split(true).profiles()).isEqualTo(corpus.profiles());
    }

    @Test
    void scoresTheHoldoutAtTheThresholdChosenOnTheDevelopmentFiles(@TempDir Path dir)
            throws IOException {
        NabCorpus corpus = NabCorpus.load(corpus(dir));
        // development files: a hit scores 0.9 and the noise 0.5; held-out files: their hit
        // scores only 0.6, so a threshold chosen on them would be 0.6, on development 0.9
        List<double[]> scores = new ArrayList<>();
        for (NabFile f : corpus.files()) {
            double[] s = new double[f.rows()];
            s[150] = 0.5;
            s[f.windows().get(0)[0]] = corpus.heldOut(f) ? 0.6 : 0.9;
            scores.add(s);
        }

        NabBenchmark.Split split = NabBenchmark.scoreSplit(corpus, scores);
        NabScorer.Result held = split.heldOut().get(0);
        NabScorer.Result dev = split.development().get(0);

        assertThat(held.threshold()).isEqualTo(0.9);
        assertThat(held.files()).hasSize(3).allSatisfy(f -> assertThat(f.tp()).isZero());
        assertThat(held.normalised()).isEqualTo(0.0);
        assertThat(dev.files()).hasSize(5).allSatisfy(f -> assertThat(f.tp()).isEqualTo(1));
    }

    /** A corpus of {@link #FILES}, 200 five-minute rows each, one window at rows 120-139. */
    private static Path corpus(Path dir) throws IOException {
        StringBuilder windows = new StringBuilder("{");
        for (String name : FILES) {
            Path csv = dir.resolve("data").resolve(name);
            Files.createDirectories(csv.getParent());
            StringBuilder rows = new StringBuilder("timestamp,value\n");
            for (int i = 0; i < 200; i++) {
                rows.append(String.format("2014-01-01 %02d:%02d:00,%d%n", i / 12, i % 12 * 5, i));
            }
            Files.writeString(csv, rows);
            windows.append(windows.length() > 1 ? "," : "")
                    .append('"')
                    .append(name)
                    .append(
                            "\": [[\"2014-01-01 10:00:00.000000\", \"2014-01-01 11:35:00.000000\"]]");
        }
        Files.createDirectories(dir.resolve("labels"));
        Files.writeString(dir.resolve("labels/combined_windows.json"), windows + "}");
        Files.createDirectories(dir.resolve("config"));
        Files.writeString(
                dir.resolve("config/profiles.json"),
                "{\"standard\": {\"CostMatrix\": {\"tpWeight\": 1.0, \"fpWeight\": 0.11,"
                        + " \"fnWeight\": 1.0}}}");
        return dir;
    }
}
