package dev.foreshadow.models.forecast;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.IntConsumer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.rnn.LastTimeStepVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * A global LSTM forecaster: one network trained across many series at once, in the manner of DeepAR
 * (Salinas, Flunkert, Gasthaus & Januschowski, "DeepAR: Probabilistic forecasting with
 * autoregressive recurrent networks", IJF 36(3), 2020) and of the MQ-RNN direct multi-horizon
 * quantile forecaster (Wen et al., 2017), with the LSTM cell of Hochreiter & Schmidhuber (1997).
 *
 * <p>Per-series scaling, per window: levels are divided by the mean absolute value of the recent
 * history, and differences by its mean absolute seasonal difference (the MASE scale). The network
 * forecasts the correction to the seasonal naive anchor (the value one season earlier), in MASE
 * units, so it starts from a strong baseline and its loss weighs series as MASE does (the
 * de-seasonalised, normalised targets of ES-RNN, Smyl, IJF 36(1), 2020, serve the same purpose).
 * The LSTM reads {@code lookback} steps of [scaled value, scaled seasonal difference, calendar
 * phase of the season and of the long season (sin, cos), covariates]; its last state is joined with
 * what is known about each forecast step in advance: the long-season anchor relative to the season
 * anchor, the scaled anchor, the calendar phases, and the covariates of the step and of its anchor.
 * A dense layer and a linear output (with a skip connection from the known-in-advance inputs) give,
 * directly, P10, P50 and P90 for every step of the horizon, trained with the pinball loss (Adam,
 * gradient clipping). Quantiles are sorted to avoid crossing.
 */
public final class GlobalLstm implements ForecastModel {

    static final double[] TAUS = {0.1, 0.5, 0.9};
    private static final int MAGIC = 0x4C53544D; // "LSTM"

    private final LstmConfig config;
    private final int covariates;
    private final ComputationGraph net;

    /** The trained weights in Java arrays, taken from the network at the first forecast. */
    private volatile Inference inference;

    private GlobalLstm(LstmConfig config, int covariates, ComputationGraph net) {
        this.config = config;
        this.covariates = covariates;
        this.net = net;
    }

    /**
     * Trains on every series, using only values before {@code length - holdout} as inputs or
     * targets (so the last {@code holdout} values can serve as a backtest). {@code onEpoch} is told
     * each finished epoch.
     */
    public static GlobalLstm train(
            List<Series> series, int holdout, LstmConfig config, IntConsumer onEpoch) {
        int covariates = series.isEmpty() ? 0 : series.get(0).covariateCount();
        for (Series s : series) {
            if (s.covariateCount() != covariates) {
                throw new IllegalArgumentException("every series must have the same covariates");
            }
        }
        GlobalLstm model = new GlobalLstm(config, covariates, network(config, covariates));
        List<int[]> windows = new ArrayList<>();
        int first = Math.max(config.lookback(), config.season());
        for (int i = 0; i < series.size(); i++) {
            int end = series.get(i).length() - holdout;
            for (int origin = end - config.horizon();
                    origin >= first;
                    origin -= config.originStride()) {
                windows.add(new int[] {i, origin});
            }
        }
        if (windows.isEmpty()) {
            throw new IllegalArgumentException(
                    "no training window: series need at least "
                            + (first + config.horizon() + holdout)
                            + " values");
        }
        windows = thinned(windows, config.lookback());
        Random random = new Random(config.seed());
        for (int epoch = 1; epoch <= config.epochs(); epoch++) {
            Collections.shuffle(windows, random);
            for (int from = 0; from < windows.size(); from += config.batchSize()) {
                List<int[]> batch =
                        windows.subList(from, Math.min(windows.size(), from + config.batchSize()));
                Batch b = model.batch(series, batch, true);
                model.net.fit(
                        new MultiDataSet(
                                new INDArray[] {b.sequence(), b.future()},
                                new INDArray[] {b.labels()}));
            }
            onEpoch.accept(epoch);
        }
        return model;
    }

    /**
     * Steps read per epoch at most (windows times lookback): long series at short steps (10 series
     * of 16,000 five-minute values hold 25,000 windows of 96 steps) would otherwise make an epoch
     * six times longer than M4 Hourly's 8,500 windows of 48 steps, of which 98% fit within it.
     */
    static final long STEPS_PER_EPOCH = 400_000;

    /**
     * Evenly spaced windows, as many as {@link #STEPS_PER_EPOCH} allows (all when they fit);
     * consecutive windows are one series' origins, newest first.
     */
    static List<int[]> thinned(List<int[]> windows, int lookback) {
        long keep = STEPS_PER_EPOCH / lookback;
        if (windows.size() <= keep) {
            return windows;
        }
        List<int[]> out = new ArrayList<>();
        for (long j = 0; j < keep; j++) {
            out.add(windows.get((int) (j * windows.size() / keep)));
        }
        return out;
    }

    /**
     * One native thread: these networks are small, and on a machine whose cores are shared OpenMP
     * threads that spin-wait made training five times slower. Set once, before the first network is
     * built.
     */
    private static synchronized void singleThreaded() {
        if (!singleThreaded) {
            Nd4j.getEnvironment().setMaxThreads(1);
            Nd4j.getEnvironment().setMaxMasterThreads(1);
            NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(1);
            singleThreaded = true;
        }
    }

    private static boolean singleThreaded;

    private static ComputationGraph network(LstmConfig config, int covariates) {
        singleThreaded();
        int features = sequenceFeatures(covariates);
        int future = futureFeatures(config, covariates);
        ComputationGraphConfiguration conf =
                new NeuralNetConfiguration.Builder()
                        .seed(config.seed())
                        .dataType(DataType.FLOAT)
                        .updater(new Adam(config.learningRate()))
                        .weightInit(WeightInit.XAVIER)
                        .gradientNormalization(GradientNormalization.ClipElementWiseAbsoluteValue)
                        .gradientNormalizationThreshold(1.0)
                        .graphBuilder()
                        .addInputs("sequence", "future")
                        .setInputTypes(
                                InputType.recurrent(features, config.lookback()),
                                InputType.feedForward(future))
                        .addLayer(
                                "lstm",
                                new LSTM.Builder()
                                        .nOut(config.hidden())
                                        .activation(Activation.TANH)
                                        .build(),
                                "sequence")
                        .addVertex("last", new LastTimeStepVertex("sequence"), "lstm")
                        .addVertex("joined", new MergeVertex(), "last", "future")
                        .addLayer(
                                "dense",
                                new DenseLayer.Builder()
                                        .nOut(2L * config.hidden())
                                        .activation(Activation.RELU)
                                        .build(),
                                "joined")
                        .addVertex("skip", new MergeVertex(), "dense", "future")
                        .addLayer(
                                "quantiles",
                                new OutputLayer.Builder()
                                        .lossFunction(
                                                new PinballLoss(expandedTaus(config.horizon())))
                                        .nOut((long) TAUS.length * config.horizon())
                                        .activation(Activation.IDENTITY)
                                        .build(),
                                "skip")
                        .setOutputs("quantiles")
                        .build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
    }

    private static double[] expandedTaus(int horizon) {
        double[] taus = new double[TAUS.length * horizon];
        for (int q = 0; q < TAUS.length; q++) {
            for (int h = 0; h < horizon; h++) {
                taus[q * horizon + h] = TAUS[q];
            }
        }
        return taus;
    }

    private static int sequenceFeatures(int covariates) {
        return 6 + covariates;
    }

    private static int futureFeatures(LstmConfig config, int covariates) {
        return config.horizon() * (6 + 2 * covariates);
    }

    @Override
    public String name() {
        return "lstm";
    }

    public LstmConfig config() {
        return config;
    }

    @Override
    public Forecast forecast(Series series, int origin, int horizon) {
        return forecastAll(List.of(series), new int[] {origin}, horizon).get(0);
    }

    /**
     * Forecasts several series at once; {@code origins[i]} belongs to {@code series.get(i)}. The
     * network's forward pass runs in plain Java on its trained weights ({@link Inference}): the
     * same arithmetic as {@code net.output}, without one native call per time step.
     */
    public List<Forecast> forecastAll(List<Series> series, int[] origins, int horizon) {
        Inference inference = inference();
        return forecastAll(
                series,
                origins,
                horizon,
                b -> inference.output(b.seq(), b.fut(), b.sequenceShape()[2]));
    }

    /** The same forecasts from DL4J's own forward pass ({@code net.output}), for comparison. */
    List<Forecast> forecastAllWithNetwork(List<Series> series, int[] origins, int horizon) {
        return forecastAll(
                series,
                origins,
                horizon,
                b -> net.output(false, b.sequence(), b.future())[0].toFloatMatrix());
    }

    private List<Forecast> forecastAll(
            List<Series> series,
            int[] origins,
            int horizon,
            java.util.function.Function<Batch, float[][]> forward) {
        if (horizon > config.horizon()) {
            throw new IllegalArgumentException(
                    "this LSTM forecasts " + config.horizon() + " steps, not " + horizon);
        }
        List<Forecast> out = new ArrayList<>();
        int chunk = 512;
        for (int from = 0; from < series.size(); from += chunk) {
            List<int[]> windows = new ArrayList<>();
            for (int i = from; i < Math.min(series.size(), from + chunk); i++) {
                windows.add(new int[] {i, origins[i]});
            }
            Batch b = batch(series, windows, false);
            float[][] result = forward.apply(b);
            int H = config.horizon();
            for (int k = 0; k < windows.size(); k++) {
                double[][] q = new double[TAUS.length][horizon];
                for (int h = 0; h < horizon; h++) {
                    double[] v = new double[TAUS.length];
                    for (int j = 0; j < TAUS.length; j++) {
                        v[j] = b.anchors()[k][h] + result[k][j * H + h] * b.spreads()[k];
                    }
                    java.util.Arrays.sort(v);
                    for (int j = 0; j < TAUS.length; j++) {
                        q[j][h] = v[j];
                    }
                }
                out.add(new Forecast(q[0], q[1], q[2]));
            }
        }
        return out;
    }

    private Inference inference() {
        Inference i = inference;
        if (i == null) {
            i = new Inference(net, config.hidden());
            inference = i;
        }
        return i;
    }

    /**
     * The network's forward pass on its trained weights, in Java: DL4J's {@code LSTM} layer (no
     * peepholes; gate pre-activations {@code z = x W + h RW + b} in the column blocks [block input,
     * forget, output, input], tanh for the block input and the cell, sigmoid for the gates;
     * Hochreiter & Schmidhuber 1997 with the forget gate of Gers, Schmidhuber & Cummins 2000), its
     * last state joined with the known-in-advance inputs, the ReLU dense layer, and the linear
     * output joined again with those inputs. One sample costs about half a million multiply-adds;
     * DL4J's {@code output} spends milliseconds per sample on one native call per time step and
     * gate.
     */
    private static final class Inference {
        private final int hidden;
        private final int features;
        private final float[] w; // [features][4 hidden]
        private final float[] rw; // [hidden][4 hidden]
        private final float[] b; // [4 hidden]
        private final float[] denseW; // [hidden + future][dense]
        private final float[] denseB;
        private final float[] outW; // [dense + future][outputs]
        private final float[] outB;

        Inference(ComputationGraph net, int hidden) {
            this.hidden = hidden;
            INDArray lstmW = net.getLayer("lstm").getParam("W");
            this.features = (int) lstmW.size(0);
            this.w = flat(lstmW);
            this.rw = flat(net.getLayer("lstm").getParam("RW"));
            this.b = flat(net.getLayer("lstm").getParam("b"));
            this.denseW = flat(net.getLayer("dense").getParam("W"));
            this.denseB = flat(net.getLayer("dense").getParam("b"));
            this.outW = flat(net.getLayer("quantiles").getParam("W"));
            this.outB = flat(net.getLayer("quantiles").getParam("b"));
            if (rw.length != hidden * 4 * hidden || b.length != 4 * hidden) {
                throw new IllegalStateException("unexpected LSTM parameter shapes");
            }
        }

        private static float[] flat(INDArray a) {
            return a.dup('c').reshape(a.length()).toFloatVector();
        }

        /**
         * Outputs for a batch: {@code seq} is [n, features, lookback] and {@code fut} [n, future
         * features], row-major.
         */
        float[][] output(float[] seq, float[] fut, long lookbackSteps) {
            int lookback = (int) lookbackSteps;
            int n = seq.length / (features * lookback);
            int d = fut.length / n;
            int g = 4 * hidden;
            int dense = denseB.length;
            int outputs = outB.length;
            float[][] out = new float[n][outputs];
            double[] h = new double[hidden];
            double[] c = new double[hidden];
            double[] z = new double[g];
            double[] joined = new double[hidden + d];
            double[] skip = new double[dense + d];
            for (int k = 0; k < n; k++) {
                java.util.Arrays.fill(h, 0);
                java.util.Arrays.fill(c, 0);
                int base = k * features * lookback;
                for (int l = 0; l < lookback; l++) {
                    for (int j = 0; j < g; j++) {
                        z[j] = b[j];
                    }
                    for (int f = 0; f < features; f++) {
                        double x = seq[base + f * lookback + l];
                        int row = f * g;
                        for (int j = 0; j < g; j++) {
                            z[j] += x * w[row + j];
                        }
                    }
                    for (int i = 0; i < hidden; i++) {
                        double x = h[i];
                        int row = i * g;
                        for (int j = 0; j < g; j++) {
                            z[j] += x * rw[row + j];
                        }
                    }
                    for (int i = 0; i < hidden; i++) {
                        double input = Math.tanh(z[i]);
                        double forget = sigmoid(z[hidden + i]);
                        double output = sigmoid(z[2 * hidden + i]);
                        double gate = sigmoid(z[3 * hidden + i]);
                        c[i] = forget * c[i] + gate * input;
                        h[i] = output * Math.tanh(c[i]);
                    }
                }
                System.arraycopy(h, 0, joined, 0, hidden);
                for (int i = 0; i < d; i++) {
                    joined[hidden + i] = fut[k * d + i];
                    skip[dense + i] = fut[k * d + i];
                }
                affine(joined, denseW, denseB, skip, true);
                double[] result = new double[outputs];
                affine(skip, outW, outB, result, false);
                for (int j = 0; j < outputs; j++) {
                    out[k][j] = (float) result[j];
                }
            }
            return out;
        }

        /** {@code out[0..bias.length) = in W + bias}, ReLU when asked. */
        private static void affine(
                double[] in, float[] weights, float[] bias, double[] out, boolean relu) {
            int m = bias.length;
            for (int j = 0; j < m; j++) {
                out[j] = bias[j];
            }
            for (int i = 0; i < in.length; i++) {
                double x = in[i];
                if (x == 0) {
                    continue;
                }
                int row = i * m;
                for (int j = 0; j < m; j++) {
                    out[j] += x * weights[row + j];
                }
            }
            if (relu) {
                for (int j = 0; j < m; j++) {
                    out[j] = Math.max(0, out[j]);
                }
            }
        }

        private static double sigmoid(double x) {
            return 1 / (1 + Math.exp(-x));
        }
    }

    /**
     * Network inputs and labels of a batch, and what turns outputs back into values: anchors and
     * spreads.
     */
    private record Batch(
            float[] seq,
            float[] fut,
            float[] lab,
            long[] sequenceShape,
            long[] futureShape,
            double[][] anchors,
            double[] spreads) {

        INDArray sequence() {
            return Nd4j.create(seq, sequenceShape, 'c');
        }

        INDArray future() {
            return Nd4j.create(fut, futureShape, 'c');
        }

        INDArray labels() {
            return Nd4j.create(lab, new long[] {futureShape[0], lab.length / futureShape[0]}, 'c');
        }
    }

    private Batch batch(List<Series> series, List<int[]> windows, boolean withLabels) {
        int n = windows.size();
        int L = config.lookback();
        int H = config.horizon();
        int F = sequenceFeatures(covariates);
        int D = futureFeatures(config, covariates);
        int m = config.season();
        int m2 = config.longSeason() > 0 ? config.longSeason() : m;
        float[] seq = new float[n * F * L];
        float[] fut = new float[n * D];
        float[] lab = withLabels ? new float[n * TAUS.length * H] : null;
        double[][] anchors = new double[n][H];
        double[] spreads = new double[n];
        for (int k = 0; k < n; k++) {
            Series s = series.get(windows.get(k)[0]);
            int origin = windows.get(k)[1];
            double[] y = s.values();
            double level = level(y, origin);
            double spread = spread(y, origin, level);
            spreads[k] = spread;
            int base = k * F * L;
            for (int l = 0; l < L; l++) {
                int t = origin - L + l;
                double value = value(y, t, origin);
                seq[base + l] = (float) clip(value / level);
                seq[base + L + l] = (float) clip((value - value(y, t - m, origin)) / spread);
                double[] cal = calendar(s.firstStep() + t);
                for (int c = 0; c < 4; c++) {
                    seq[base + (2 + c) * L + l] = (float) cal[c];
                }
                for (int c = 0; c < covariates; c++) {
                    seq[base + (6 + c) * L + l] = (float) covariate(s, t, c);
                }
            }
            int per = 6 + 2 * covariates;
            for (int h = 0; h < H; h++) {
                int t = origin + h;
                int at = k * D + h * per;
                int anchorStep = t - m * ((h / m) + 1);
                double anchor = value(y, anchorStep, origin);
                double longAnchor = value(y, t - m2 * ((h / m2) + 1), origin);
                anchors[k][h] = anchor;
                fut[at] = (float) clip((longAnchor - anchor) / spread);
                fut[at + 1] = (float) clip(anchor / level);
                double[] cal = calendar(s.firstStep() + t);
                for (int c = 0; c < 4; c++) {
                    fut[at + 2 + c] = (float) cal[c];
                }
                for (int c = 0; c < covariates; c++) {
                    fut[at + 6 + c] = (float) covariate(s, t, c);
                    // the anchor's own covariates: an event one season ago explains part of the
                    // correction
                    fut[at + 6 + covariates + c] = (float) covariate(s, anchorStep, c);
                }
                if (withLabels) {
                    for (int q = 0; q < TAUS.length; q++) {
                        lab[k * TAUS.length * H + q * H + h] = (float) ((y[t] - anchor) / spread);
                    }
                }
            }
        }
        return new Batch(seq, fut, lab, new long[] {n, F, L}, new long[] {n, D}, anchors, spreads);
    }

    private int recentSpan(int origin) {
        return Math.min(
                origin,
                Math.max(config.lookback(), Math.max(7 * config.season(), config.longSeason())));
    }

    /** Mean absolute value of the recent history: the scale of the level inputs. */
    private double level(double[] y, int origin) {
        int span = recentSpan(origin);
        double sum = 0;
        for (int t = origin - span; t < origin; t++) {
            sum += Math.abs(y[t]);
        }
        double mean = span > 0 ? sum / span : 0;
        return mean > 1e-9 ? mean : 1;
    }

    /**
     * Mean absolute seasonal difference of the recent history (the MASE scale): targets are
     * measured in it, so the pinball loss weighs every series as MASE does.
     */
    private double spread(double[] y, int origin, double level) {
        int span = recentSpan(origin);
        int m = config.season();
        double sum = 0;
        int count = 0;
        for (int t = Math.max(m, origin - span); t < origin; t++) {
            sum += Math.abs(y[t] - y[t - m]);
            count++;
        }
        double mean = count > 0 ? sum / count : 0;
        return Math.max(mean, 1e-3 * level);
    }

    /**
     * y[t] for t before the origin; before the first value, the same phase of the earliest complete
     * season.
     */
    private double value(double[] y, int t, int origin) {
        if (t < 0) {
            int m = Math.min(config.season(), origin);
            t += m * ((-t + m - 1) / m);
        }
        return t >= 0 && t < origin ? y[t] : y[Math.max(0, Math.min(origin - 1, t))];
    }

    private double covariate(Series s, int t, int c) {
        double[][] cov = s.covariates();
        if (t < 0) {
            t = 0;
        }
        if (t >= cov.length) {
            throw new IllegalArgumentException(s.id() + ": covariates end before step " + t);
        }
        return cov[t][c];
    }

    private double[] calendar(long step) {
        int m = config.season();
        int m2 = config.longSeason() > 0 ? config.longSeason() : 7 * m;
        double a = 2 * Math.PI * Math.floorMod(step, m) / m;
        double b = 2 * Math.PI * Math.floorMod(step, m2) / m2;
        return new double[] {Math.sin(a), Math.cos(a), Math.sin(b), Math.cos(b)};
    }

    private static double clip(double v) {
        return Math.max(-10, Math.min(10, v));
    }

    /** The artifact: configuration, covariate count and all network parameters. */
    public byte[] toBytes() {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(config.horizon());
            out.writeInt(config.season());
            out.writeInt(config.longSeason());
            out.writeInt(config.lookback());
            out.writeInt(config.hidden());
            out.writeInt(config.epochs());
            out.writeInt(config.batchSize());
            out.writeDouble(config.learningRate());
            out.writeInt(config.originStride());
            out.writeLong(config.seed());
            out.writeInt(covariates);
            Nd4j.write(net.params(), out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads an artifact written by {@link #toBytes}. */
    public static GlobalLstm fromBytes(byte[] artifact) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(artifact))) {
            if (in.readInt() != MAGIC) {
                throw new IllegalArgumentException("not an LSTM artifact");
            }
            LstmConfig config =
                    new LstmConfig(
                            in.readInt(),
                            in.readInt(),
                            in.readInt(),
                            in.readInt(),
                            in.readInt(),
                            in.readInt(),
                            in.readInt(),
                            in.readDouble(),
                            in.readInt(),
                            in.readLong());
            int covariates = in.readInt();
            INDArray params = Nd4j.read(in);
            ComputationGraph net = network(config, covariates);
            net.setParams(params);
            return new GlobalLstm(config, covariates, net);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
