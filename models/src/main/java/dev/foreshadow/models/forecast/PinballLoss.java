package dev.foreshadow.models.forecast;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * The pinball (quantile) loss over a row of outputs, where output column {@code j} is the quantile
 * {@code taus[j]}: {@code tau (y - q)} when {@code y >= q}, else {@code (1 - tau) (q - y)} (Koenker
 * & Bassett 1978; used for direct multi-horizon quantile outputs by Wen et al., "A Multi-Horizon
 * Quantile Recurrent Forecaster", 2017). Its gradient with respect to {@code q} is {@code (1 - tau)
 * - 1[y > q]}.
 */
final class PinballLoss implements ILossFunction {

    private static final long serialVersionUID = 1L;

    private final double[] taus;

    PinballLoss(double[] taus) {
        this.taus = taus.clone();
    }

    private INDArray tauRow(INDArray like) {
        return Nd4j.createFromArray(taus).castTo(like.dataType()).reshape(1, taus.length);
    }

    @Override
    public INDArray computeScoreArray(
            INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray output = activationFn.getActivation(preOutput.dup(), false);
        INDArray diff = labels.sub(output);
        INDArray tau = tauRow(diff);
        INDArray positive = diff.mulRowVector(tau);
        INDArray negative = diff.mulRowVector(tau.sub(1.0));
        INDArray loss = Nd4j.math().max(positive, negative);
        if (mask != null) {
            loss.muli(mask);
        }
        return loss.sum(1).reshape(loss.size(0), 1);
    }

    @Override
    public double computeScore(
            INDArray labels,
            INDArray preOutput,
            IActivation activationFn,
            INDArray mask,
            boolean average) {
        double score =
                computeScoreArray(labels, preOutput, activationFn, mask).sumNumber().doubleValue();
        return average ? score / labels.size(0) : score;
    }

    @Override
    public INDArray computeGradient(
            INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray output = activationFn.getActivation(preOutput.dup(), true);
        INDArray above = labels.gt(output).castTo(output.dataType());
        INDArray oneMinusTau = tauRow(output).rsub(1.0);
        INDArray dLda = above.neg().addiRowVector(oneMinusTau);
        if (mask != null) {
            dLda.muli(mask);
        }
        return activationFn.backprop(preOutput.dup(), dLda).getFirst();
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(
            INDArray labels,
            INDArray preOutput,
            IActivation activationFn,
            INDArray mask,
            boolean average) {
        return new Pair<>(
                computeScore(labels, preOutput, activationFn, mask, average),
                computeGradient(labels, preOutput, activationFn, mask));
    }

    @Override
    public String name() {
        return "pinball";
    }
}
