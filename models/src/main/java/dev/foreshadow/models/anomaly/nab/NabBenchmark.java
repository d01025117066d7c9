package dev.foreshadow.models.anomaly.nab;

import dev.foreshadow.models.anomaly.StreamDetector;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Runs {@link StreamDetector} (one configuration for every file) over a NAB corpus, one pass per
 * file in time order, and scores it with {@link NabScorer} for every profile. Timestamps are read
 * as UTC. Output: one {@link NabScorer.Result} per profile, in the corpus order.
 */
public final class NabBenchmark {

    private NabBenchmark() {}

    /**
     * The detector's per-row scores for every file; {@code progress} receives the number of rows
     * done per file.
     */
    public static List<double[]> detect(
            NabCorpus corpus, StreamDetector.Config config, IntConsumer progress) {
        List<double[]> scores = new ArrayList<>();
        for (NabFile f : corpus.files()) {
            StreamDetector detector = new StreamDetector(config);
            double[] s = new double[f.rows()];
            for (int i = 0; i < f.rows(); i++) {
                s[i] =
                        detector.score(
                                f.timestamps()[i].toInstant(ZoneOffset.UTC).toEpochMilli(),
                                f.values()[i]);
            }
            scores.add(s);
            progress.accept(f.rows());
        }
        return scores;
    }

    /**
     * The development / held-out split ({@link NabCorpus#heldOut}) scored with the thresholds
     * optimised, per profile, on the development files only.
     *
     * @param development the development files at those thresholds
     * @param heldOut the held-out files at the same thresholds, so that no choice made for their
     *     figure has seen their labels
     */
    public record Split(List<NabScorer.Result> development, List<NabScorer.Result> heldOut) {}

    /**
     * Scores both sides of the split; {@code scores} are per row for every file of {@code corpus},
     * in its order.
     */
    public static Split scoreSplit(NabCorpus corpus, List<double[]> scores) {
        List<NabFile> devFiles = new ArrayList<>();
        List<double[]> devScores = new ArrayList<>();
        List<NabFile> heldFiles = new ArrayList<>();
        List<double[]> heldScores = new ArrayList<>();
        for (int i = 0; i < corpus.files().size(); i++) {
            NabFile f = corpus.files().get(i);
            boolean held = corpus.heldOut(f);
            (held ? heldFiles : devFiles).add(f);
            (held ? heldScores : devScores).add(scores.get(i));
        }
        List<NabScorer.Result> development = new ArrayList<>();
        List<NabScorer.Result> heldOut = new ArrayList<>();
        for (NabProfile p : corpus.profiles()) {
            NabScorer.Result dev = NabScorer.evaluate(devFiles, devScores, p);
            development.add(dev);
            heldOut.add(NabScorer.scoreAt(heldFiles, heldScores, p, dev.threshold()));
        }
        return new Split(development, heldOut);
    }

    /**
     * Scores per-row results for every profile (threshold optimised per profile over the corpus).
     */
    public static List<NabScorer.Result> score(NabCorpus corpus, List<double[]> scores) {
        List<NabScorer.Result> results = new ArrayList<>();
        for (NabProfile p : corpus.profiles()) {
            results.add(NabScorer.evaluate(corpus.files(), scores, p));
        }
        return results;
    }
}
