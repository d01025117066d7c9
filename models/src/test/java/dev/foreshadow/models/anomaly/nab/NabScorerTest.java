package dev.foreshadow.models.anomaly.nab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.foreshadow.models.anomaly.SharedData;
import dev.foreshadow.models.json.MiniJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NabScorerTest {

    private static final Path NAB = SharedData.dir("nab");
    private static final NabProfile STANDARD = new NabProfile("standard", 1.0, 0.11, 1.0);

    // the acceptance bound is 0.5 per file; the scorer matches the published scores to 1e-6
    @Test
    void reproducesThePublishedPerFileScoresOfNumentaFromItsPerRowScores() throws IOException {
        NabCorpus corpus = NabCorpus.load(NAB);
        Map<?, ?> thresholds =
                (Map<?, ?>)
                        ((Map<?, ?>)
                                        MiniJson.parse(
                                                Files.readString(
                                                        NAB.resolve("config/thresholds.json"))))
                                .get("numenta");
        List<NabFile> files = new ArrayList<>();
        List<double[]> scores = new ArrayList<>();
        for (NabFile f : corpus.files()) {
            if (f.name().startsWith("realAWSCloudwatch/")) {
                files.add(f);
                scores.add(numentaRowScores(f));
            }
        }
        assertThat(files).hasSize(17);
        int compared = 0;
        for (NabProfile profile : corpus.profiles()) {
            double threshold =
                    (Double) ((Map<?, ?>) thresholds.get(profile.name())).get("threshold");
            Map<String, Double> published = publishedScores(profile.name());
            NabScorer.Result result = NabScorer.scoreAt(files, scores, profile, threshold);
            for (NabScorer.FileScore s : result.files()) {
                assertThat(s.score())
                        .as(profile.name() + " " + s.file())
                        .isCloseTo(published.get(s.file()), within(1e-6));
                compared++;
            }
        }
        assertThat(compared).isEqualTo(51);
    }

    @Test
    void rewardsAnEarlyDetectionAlmostFullyAndALateOneAlmostNothing() {
        NabFile file = syntheticFile(1000, new int[] {500, 599});
        double[] early = new double[1000];
        early[500] = 1;
        double[] late = new double[1000];
        late[599] = 1;
        assertThat(score(file, early, 0.5)).isCloseTo(1.0, within(1e-9));
        assertThat(score(file, late, 0.5))
                .isCloseTo(
                        NabScorer.scaledSigmoid(-0.01) / NabScorer.scaledSigmoid(-1), within(1e-9));
    }

    @Test
    void
            chargesAFalsePositiveFarFromAnyWindowTheFullFalsePositiveWeightAndIgnoresTheProbationaryPeriod() {
        NabFile file = syntheticFile(1000, new int[] {500, 599});
        double[] s = new double[1000];
        s[10] = 1; // probationary: ignored
        s[300] = 1; // before any window: -A_fp
        assertThat(score(file, s, 0.5)).isCloseTo(-1.0 - 0.11, within(1e-9));
    }

    @Test
    void optimisesTheThresholdToKeepTheDetectionAndDropTheNoise() {
        NabFile file = syntheticFile(1000, new int[] {500, 599});
        double[] s = new double[1000];
        for (int i = 0; i < 1000; i++) {
            s[i] = 0.3 + 0.1 * ((i * 7919) % 13) / 13.0;
        }
        s[520] = 0.9;
        NabScorer.Result r = NabScorer.evaluate(List.of(file), List.of(s), STANDARD);
        assertThat(r.threshold()).isEqualTo(0.9);
        assertThat(r.normalised()).isGreaterThan(90);
        assertThat(
                        NabScorer.evaluate(List.of(file), List.of(new double[1000]), STANDARD)
                                .normalised())
                .isZero();
    }

    private static double score(NabFile file, double[] s, double threshold) {
        return NabScorer.scoreAt(List.of(file), List.of(s), STANDARD, threshold).score();
    }

    private static NabFile syntheticFile(int rows, int[] window) {
        LocalDateTime[] t = new LocalDateTime[rows];
        for (int i = 0; i < rows; i++) {
            t[i] = LocalDateTime.of(2014, 1, 1, 0, 0).plusMinutes(5L * i);
        }
        return new NabFile("synthetic.csv", t, new double[rows], List.of(window));
    }

    private static double[] numentaRowScores(NabFile f) throws IOException {
        String base = f.name().substring(f.name().indexOf('/') + 1);
        List<String> lines =
                Files.readAllLines(
                        NAB.resolve("results/numenta/realAWSCloudwatch/numenta_" + base));
        double[] s = new double[lines.size() - 1];
        for (int i = 1; i < lines.size(); i++) {
            s[i - 1] = Double.parseDouble(lines.get(i).split(",")[2]);
        }
        assertThat(s).as(f.name()).hasSize(f.rows());
        return s;
    }

    private static Map<String, Double> publishedScores(String profile) throws IOException {
        Map<String, Double> m = new HashMap<>();
        for (String line :
                Files.readAllLines(
                        NAB.resolve("results/numenta/numenta_" + profile + "_scores.csv"))) {
            String[] c = line.split(",");
            if (c.length > 4 && c[2].endsWith(".csv")) {
                m.put(c[2], Double.parseDouble(c[4]));
            }
        }
        return m;
    }
}
