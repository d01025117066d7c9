package dev.foreshadow.models.anomaly.nab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Scores anomaly detectors the way the Numenta Anomaly Benchmark does (input: per-row anomaly
 * scores in [0,1] for every file of a corpus; output: per-file and total scores, raw and
 * normalised, for one cost profile).
 *
 * <p>Method (Lavin and Ahmad, "Evaluating Real-time Anomaly Detection Algorithms - the Numenta
 * Anomaly Benchmark", ICMLA 2015; Ahmad et al., Neurocomputing 2017; re-implemented from the
 * description and numenta/NAB's {@code sweeper.py}, not copied):
 *
 * <ul>
 *   <li>The first {@code min(floor(0.15 n), 0.15 * 5000)} rows of a file are probationary: never
 *       scored.
 *   <li>A row is a detection when its anomaly score is at least the threshold.
 *   <li>Each row carries a weight from the scaled sigmoid {@code S(y) = 2 / (1 + e^(5y)) - 1}.
 *       Inside a window of width {@code w} ending at row {@code r}, row {@code i} has {@code y =
 *       -(r - i + 1) / w}, so an early detection earns almost {@code A_tp} (the weight is {@code
 *       A_tp S(y) / S(-1)}); only the best detection of a window counts. A missed window costs
 *       {@code A_fn}. Outside windows {@code y = |r_prev - i| / (w_prev - 1)} from the right edge
 *       of the previous window ({@code y = 3}, i.e. {@code S = -1}, before any window), and every
 *       detection adds {@code A_fp S(y)}: a false positive just after a window costs little, one
 *       far away costs {@code A_fp}.
 *   <li>The threshold is optimised per profile over the whole corpus: all scorable rows of all
 *       files are swept from the highest anomaly score down, and the threshold with the highest
 *       total wins (the highest such threshold on ties).
 *   <li>Normalisation: {@code 100 (S - S_null) / (S_perfect - S_null)} where the null detector (no
 *       detections) scores {@code -A_fn} per window and the perfect detector {@code A_tp} per
 *       window, over the files scored.
 * </ul>
 */
public final class NabScorer {

    static final double PROBATION_PERCENT = 0.15;
    private static final double MAX_TP = scaledSigmoid(-1.0);

    /** Outside any window, after the probationary period. */
    static final int OUTSIDE = -1;

    /** In the probationary period: never scored. */
    static final int PROBATION = -2;

    private NabScorer() {}

    /**
     * The score of one file at the corpus threshold; counts are of rows after the probationary
     * period.
     */
    public record FileScore(String file, double score, int tp, int tn, int fp, int fn) {}

    /**
     * The corpus result for one profile.
     *
     * @param nullScore the total of the detector that never detects: {@code -A_fn} per window
     * @param perfectScore the total of a detector that detects every window at its first row:
     *     {@code A_tp} per window
     */
    public record Result(
            NabProfile profile,
            double threshold,
            List<FileScore> files,
            double score,
            double nullScore,
            double perfectScore) {

        /** 100 for the perfect detector, 0 for the null detector. */
        public double normalised() {
            return 100 * (score - nullScore) / (perfectScore - nullScore);
        }
    }

    /**
     * Optimises the threshold over the corpus for {@code profile}, then scores every file at it.
     */
    public static Result evaluate(
            List<NabFile> files, List<double[]> anomalyScores, NabProfile profile) {
        return scoreAt(
                files, anomalyScores, profile, optimiseThreshold(files, anomalyScores, profile));
    }

    /** Scores every file at a given threshold (e.g. a published one). */
    public static Result scoreAt(
            List<NabFile> files,
            List<double[]> anomalyScores,
            NabProfile profile,
            double threshold) {
        checkSizes(files, anomalyScores);
        List<FileScore> perFile = new ArrayList<>();
        double total = 0;
        int windows = 0;
        for (int f = 0; f < files.size(); f++) {
            NabFile file = files.get(f);
            Sweep sweep = sweep(file, profile);
            FileScore s = scoreFile(file.name(), sweep, anomalyScores.get(f), threshold, profile);
            perFile.add(s);
            total += s.score();
            windows += file.windows().size();
        }
        return new Result(
                profile,
                threshold,
                perFile,
                total,
                -profile.fnWeight() * windows,
                profile.tpWeight() * windows);
    }

    /** NAB's scaled sigmoid of a relative position (see the class comment). */
    static double scaledSigmoid(double position) {
        if (position >= 3.0) {
            return -1.0;
        }
        return 2.0 / (1.0 + Math.exp(5.0 * position)) - 1.0;
    }

    static int probationaryLength(int rows) {
        return (int) Math.min(Math.floor(PROBATION_PERCENT * rows), PROBATION_PERCENT * 5000);
    }

    /**
     * The per-row weight ({@code weight}) and window ({@code window}: index, {@link #OUTSIDE},
     * {@link #PROBATION}).
     */
    record Sweep(double[] weight, int[] window, int windowCount) {}

    static Sweep sweep(NabFile file, NabProfile profile) {
        int n = file.rows();
        List<int[]> windows = file.windows();
        double[] weight = new double[n];
        int[] window = new int[n];
        int probation = probationaryLength(n);
        int next = 0;
        int current = -1;
        int currentLast = -1;
        double currentWidth = 0;
        int previousLast = -1;
        double previousWidth = 0;
        for (int i = 0; i < n; i++) {
            if (next < windows.size() && i == windows.get(next)[0]) {
                current = next;
                currentLast = windows.get(next)[1];
                currentWidth = currentLast - windows.get(next)[0] + 1;
                next++;
            }
            if (current >= 0) {
                double position = -(currentLast - i + 1) / currentWidth;
                weight[i] = scaledSigmoid(position) * profile.tpWeight() / MAX_TP;
            } else {
                double position =
                        previousLast < 0
                                ? 3.0
                                : Math.abs(previousLast - i) / Math.max(1.0, previousWidth - 1);
                weight[i] = scaledSigmoid(position) * profile.fpWeight();
            }
            window[i] = i < probation ? PROBATION : current >= 0 ? current : OUTSIDE;
            if (current >= 0 && i == currentLast) {
                previousLast = i;
                previousWidth = currentWidth;
                current = -1;
            }
        }
        return new Sweep(weight, window, windows.size());
    }

    static FileScore scoreFile(
            String name, Sweep sweep, double[] scores, double threshold, NabProfile profile) {
        double[] best = new double[sweep.windowCount()];
        boolean[] scorable = new boolean[sweep.windowCount()];
        Arrays.fill(best, -profile.fnWeight());
        double fpSum = 0;
        int tp = 0;
        int tn = 0;
        int fp = 0;
        int fn = 0;
        for (int i = 0; i < scores.length; i++) {
            int w = sweep.window()[i];
            if (w == PROBATION) {
                continue;
            }
            boolean detected = scores[i] >= threshold;
            if (w == OUTSIDE) {
                if (detected) {
                    fp++;
                    fpSum += sweep.weight()[i];
                } else {
                    tn++;
                }
            } else {
                scorable[w] = true;
                if (detected) {
                    tp++;
                    best[w] = Math.max(best[w], sweep.weight()[i]);
                } else {
                    fn++;
                }
            }
        }
        double score = fpSum;
        for (int w = 0; w < best.length; w++) {
            if (scorable[w]) {
                score += best[w];
            }
        }
        return new FileScore(name, score, tp, tn, fp, fn);
    }

    /**
     * The threshold maximising the corpus total: rows of all files are taken from the highest
     * anomaly score down, and the total is recomputed at each distinct score, starting from 1.1 (no
     * detection).
     */
    static double optimiseThreshold(
            List<NabFile> files, List<double[]> anomalyScores, NabProfile profile) {
        checkSizes(files, anomalyScores);
        int rows = 0;
        for (double[] s : anomalyScores) {
            rows += s.length;
        }
        double[] score = new double[rows];
        double[] weight = new double[rows];
        int[] window = new int[rows];
        int windowBase = 0;
        int k = 0;
        List<Double> fnStart = new ArrayList<>();
        for (int f = 0; f < files.size(); f++) {
            Sweep sweep = sweep(files.get(f), profile);
            double[] s = anomalyScores.get(f);
            boolean[] seen = new boolean[sweep.windowCount()];
            for (int i = 0; i < s.length; i++) {
                int w = sweep.window()[i];
                if (w == PROBATION) {
                    continue;
                }
                score[k] = s[i];
                weight[k] = sweep.weight()[i];
                window[k] = w == OUTSIDE ? OUTSIDE : windowBase + w;
                if (w != OUTSIDE) {
                    seen[w] = true;
                }
                k++;
            }
            for (boolean b : seen) {
                fnStart.add(b ? -profile.fnWeight() : 0.0);
            }
            windowBase += sweep.windowCount();
        }
        Integer[] order = new Integer[k];
        for (int i = 0; i < k; i++) {
            order[i] = i;
        }
        final double[] keys = score;
        Arrays.sort(order, (a, b) -> Double.compare(keys[b], keys[a]));
        double[] best = new double[windowBase];
        double total = 0;
        for (int w = 0; w < windowBase; w++) {
            best[w] = fnStart.get(w);
            total += best[w];
        }
        double bestTotal = total;
        double bestThreshold = 1.1;
        double currentThreshold = 1.1;
        for (int j = 0; j < k; j++) {
            int i = order[j];
            if (score[i] != currentThreshold) {
                if (total > bestTotal) {
                    bestTotal = total;
                    bestThreshold = currentThreshold;
                }
                currentThreshold = score[i];
            }
            if (window[i] == OUTSIDE) {
                total += weight[i];
            } else if (weight[i] > best[window[i]]) {
                total += weight[i] - best[window[i]];
                best[window[i]] = weight[i];
            }
        }
        if (total > bestTotal) {
            bestThreshold = currentThreshold;
        }
        return bestThreshold;
    }

    private static void checkSizes(List<NabFile> files, List<double[]> anomalyScores) {
        if (files.size() != anomalyScores.size()) {
            throw new IllegalArgumentException(
                    files.size() + " files but " + anomalyScores.size() + " score arrays");
        }
        for (int f = 0; f < files.size(); f++) {
            if (files.get(f).rows() != anomalyScores.get(f).length) {
                throw new IllegalArgumentException(
                        files.get(f).name()
                                + " has "
                                + files.get(f).rows()
                                + " rows but "
                                + anomalyScores.get(f).length
                                + " scores");
            }
        }
    }
}
