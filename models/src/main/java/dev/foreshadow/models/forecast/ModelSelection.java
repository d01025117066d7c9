package dev.foreshadow.models.forecast;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-series model selection by rolling-origin backtest: every candidate (the local models, the
 * global LSTM when there is one, and equally weighted combinations of them) forecasts each fold;
 * the candidate with the lowest mean MASE over the folds is chosen for that series (Fildes &
 * Petropoulos, "Simple versus complex selection rules for forecasting many time series", JBR 68(8),
 * 2015: selection on out-of-sample error; Tashman 2000 for rolling origins). Member forecasts are
 * computed once per origin and shared by the combinations.
 */
public final class ModelSelection {

    private final List<ForecastModel> bases;
    private final List<Ensemble> combinations;

    public ModelSelection(List<ForecastModel> locals, ForecastModel lstm) {
        this.bases = new ArrayList<>(locals);
        List<Ensemble> combos = new ArrayList<>();
        if (lstm != null) {
            bases.add(lstm);
            for (ForecastModel combo : Models.combinations(locals, lstm)) {
                combos.add((Ensemble) combo);
            }
        }
        this.combinations = combos;
    }

    /** Candidate names, in report order. */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        bases.forEach(m -> names.add(m.name()));
        combinations.forEach(m -> names.add(m.name()));
        return names;
    }

    /** The candidate of that name, ready to forecast. */
    public ForecastModel model(String name) {
        for (ForecastModel m : bases) {
            if (m.name().equals(name)) {
                return m;
            }
        }
        for (Ensemble m : combinations) {
            if (m.name().equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("no candidate " + name);
    }

    /** Every candidate's forecast from {@code origin}, by name. */
    public Map<String, Forecast> forecastAll(Series series, int origin, int horizon) {
        Map<String, Forecast> out = new LinkedHashMap<>();
        for (ForecastModel m : bases) {
            out.put(m.name(), m.forecast(series, origin, horizon));
        }
        for (Ensemble e : combinations) {
            List<Forecast> members = new ArrayList<>();
            for (ForecastModel member : e.members()) {
                members.add(out.get(member.name()));
            }
            out.put(e.name(), Ensemble.combine(members));
        }
        return out;
    }

    /** Mean backtest score of every candidate over the given origins. */
    public Map<String, Backtest.Score> backtest(
            Series series, int[] origins, int horizon, int season) {
        Map<String, double[]> sums = new LinkedHashMap<>();
        for (int origin : origins) {
            for (Map.Entry<String, Forecast> e : forecastAll(series, origin, horizon).entrySet()) {
                Backtest.Score s = Backtest.Score.of(series, origin, e.getValue(), season);
                double[] sum = sums.computeIfAbsent(e.getKey(), k -> new double[4]);
                sum[0] += s.smape();
                sum[1] += s.mase();
                sum[2] += s.coverage();
                sum[3] += s.pinball();
            }
        }
        Map<String, Backtest.Score> out = new LinkedHashMap<>();
        sums.forEach(
                (k, s) ->
                        out.put(
                                k,
                                new Backtest.Score(
                                        s[0] / origins.length,
                                        s[1] / origins.length,
                                        s[2] / origins.length,
                                        s[3] / origins.length)));
        return out;
    }

    /** The candidate with the lowest backtest MASE (the first listed on ties). */
    public static String choose(Map<String, Backtest.Score> backtest) {
        String best = null;
        double bestMase = Double.POSITIVE_INFINITY;
        for (Map.Entry<String, Backtest.Score> e : backtest.entrySet()) {
            if (e.getValue().mase() < bestMase) {
                bestMase = e.getValue().mase();
                best = e.getKey();
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("no candidate scored");
        }
        return best;
    }
}
