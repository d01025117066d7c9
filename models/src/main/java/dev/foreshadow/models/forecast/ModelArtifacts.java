package dev.foreshadow.models.forecast;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Model artifacts as stored in the registry. The global LSTM is its network ({@link
 * GlobalLstm#toBytes}); a local model is its name ({@code local:ets-ad-a24}: it is refitted on the
 * latest history at each forecast, which costs milliseconds); a combination names its members
 * ({@code combination:combo-ets-lstm:ets-n-a24x168,lstm}), the LSTM member being the global model
 * registered beside it. What the deploy rule chooses is a weighted combination ({@code
 * weighted:combo2:lstm=0.6/1.1/0.9,ets-ad-a24=0.4/1.0/1.2}: each member's weight and the scales of
 * the distances from its median to its P10 and P90), of one member when one candidate was chosen.
 */
public final class ModelArtifacts {

    private ModelArtifacts() {}

    public static byte[] write(ForecastModel model) {
        if (model instanceof GlobalLstm lstm) {
            return lstm.toBytes();
        }
        if (model instanceof Combination combination) {
            List<String> parts = new ArrayList<>();
            for (Combination.Member m : combination.members()) {
                parts.add(
                        String.format(
                                Locale.ROOT,
                                "%s=%s/%s/%s",
                                m.name(),
                                Double.toString(m.weight()),
                                Double.toString(m.lower()),
                                Double.toString(m.upper())));
            }
            return ("weighted:" + combination.name() + ":" + String.join(",", parts))
                    .getBytes(StandardCharsets.UTF_8);
        }
        if (model instanceof Ensemble ensemble) {
            List<String> names = new ArrayList<>();
            ensemble.members().forEach(m -> names.add(m.name()));
            return ("combination:" + ensemble.name() + ":" + String.join(",", names))
                    .getBytes(StandardCharsets.UTF_8);
        }
        if (model instanceof LocalModel) {
            return ("local:" + model.name()).getBytes(StandardCharsets.UTF_8);
        }
        throw new IllegalArgumentException("no artifact format for " + model.name());
    }

    /**
     * Reads an artifact; {@code global} is the registered global LSTM (may be null when none is
     * needed).
     */
    public static ForecastModel read(byte[] artifact, GlobalLstm global) {
        if (artifact.length >= 4
                && artifact[0] == 'L'
                && artifact[1] == 'S'
                && artifact[2] == 'T'
                && artifact[3] == 'M') {
            return GlobalLstm.fromBytes(artifact);
        }
        String text = new String(artifact, StandardCharsets.UTF_8);
        if (text.startsWith("local:")) {
            return Models.byName(text.substring(6));
        }
        if (text.startsWith("weighted:")) {
            String[] parts = text.split(":", 3);
            List<Combination.Member> members = new ArrayList<>();
            List<ForecastModel> models = new ArrayList<>();
            for (String member : parts[2].split(",")) {
                String[] nameAndValues = member.split("=", 2);
                String[] values = nameAndValues[1].split("/");
                members.add(
                        new Combination.Member(
                                nameAndValues[0],
                                Double.parseDouble(values[0]),
                                Double.parseDouble(values[1]),
                                Double.parseDouble(values[2])));
                models.add(member(nameAndValues[0], parts[1], global));
            }
            return new Combination(parts[1], members, models, "");
        }
        if (text.startsWith("combination:")) {
            String[] parts = text.split(":", 3);
            List<ForecastModel> members = new ArrayList<>();
            for (String name : parts[2].split(",")) {
                members.add(member(name, parts[1], global));
            }
            return new Ensemble(parts[1], members);
        }
        throw new IllegalArgumentException("unknown artifact format");
    }

    /**
     * Whether the artifact forecasts with the global LSTM registered beside it (it is the LSTM, or
     * a combination with an {@code lstm} member).
     */
    public static boolean needsGlobal(byte[] artifact) {
        String text = new String(artifact, StandardCharsets.UTF_8);
        if (!text.startsWith("weighted:") && !text.startsWith("combination:")) {
            return false;
        }
        for (String member : text.split(":", 3)[2].split(",")) {
            if (member.split("=", 2)[0].equals("lstm")) {
                return true;
            }
        }
        return false;
    }

    private static ForecastModel member(String name, String of, GlobalLstm global) {
        if (name.equals("lstm")) {
            if (global == null) {
                throw new IllegalArgumentException(of + " needs the global LSTM");
            }
            return global;
        }
        return Models.byName(name);
    }
}
