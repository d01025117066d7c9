package dev.foreshadow.models.forecast;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Model artifacts as stored in the registry. The global LSTM is its network ({@link
 * GlobalLstm#toBytes}); a local model is its name ({@code local:ets-ad-a24}: it is refitted on the
 * latest history at each forecast, which costs milliseconds); a combination names its members
 * ({@code combination:combo-ets-lstm:ets-n-a24x168,lstm}), the LSTM member being the global model
 * registered beside it.
 */
public final class ModelArtifacts {

    private ModelArtifacts() {}

    public static byte[] write(ForecastModel model) {
        if (model instanceof GlobalLstm lstm) {
            return lstm.toBytes();
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
        if (text.startsWith("combination:")) {
            String[] parts = text.split(":", 3);
            List<ForecastModel> members = new ArrayList<>();
            for (String name : parts[2].split(",")) {
                if (name.equals("lstm")) {
                    if (global == null) {
                        throw new IllegalArgumentException(parts[1] + " needs the global LSTM");
                    }
                    members.add(global);
                } else {
                    members.add(Models.byName(name));
                }
            }
            return new Ensemble(parts[1], members);
        }
        throw new IllegalArgumentException("unknown artifact format");
    }
}
