package dev.foreshadow.models.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Our Naive2, seasonal naive, sMAPE and MASE reproduce the published M4 Hourly scores of the
 * benchmarks (m4/m4_hourly_anchors.csv: Naive2 18.383 / 2.395, sNaive 13.912 / 1.193), so OWA is
 * computed on the same basis.
 */
class M4HourlyReferenceTest {

    static Path dataDir() {
        String env = System.getenv("FORESHADOW_DATA");
        Path dir = env != null && !env.isBlank() ? Path.of(env) : Path.of("../../shared/data");
        Path m4 = dir.resolve("m4/Dataset/Train/Hourly-train.csv");
        if (!Files.isRegularFile(m4)) {
            throw new AssertionError(
                    "M4 data not found at "
                            + m4.toAbsolutePath()
                            + ": set FORESHADOW_DATA to the shared/data folder");
        }
        return dir;
    }

    static List<double[]> read(Path file) throws IOException {
        List<double[]> out = new ArrayList<>();
        for (String line : Files.readAllLines(file).subList(1, Files.readAllLines(file).size())) {
            out.add(
                    Arrays.stream(line.split(","))
                            .skip(1)
                            .map(c -> c.replace("\"", ""))
                            .filter(c -> !c.isEmpty())
                            .mapToDouble(Double::parseDouble)
                            .toArray());
        }
        return out;
    }

    @Test
    void naive2AndSeasonalNaiveReproduceThePublishedM4HourlyScores() throws IOException {
        Path dir = dataDir();
        List<double[]> train = read(dir.resolve("m4/Dataset/Train/Hourly-train.csv"));
        List<double[]> test = read(dir.resolve("m4/Dataset/Test/Hourly-test.csv"));
        assertThat(train).hasSize(414);
        double[] naive2 = new double[2];
        double[] snaive = new double[2];
        for (int i = 0; i < train.size(); i++) {
            double[] values = new double[train.get(i).length + 48];
            System.arraycopy(train.get(i), 0, values, 0, train.get(i).length);
            System.arraycopy(test.get(i), 0, values, train.get(i).length, 48);
            Series s = Series.of("H" + (i + 1), values);
            int origin = train.get(i).length;
            Backtest.Score a =
                    Backtest.Score.of(s, origin, new Naive2(24).forecast(s, origin, 48), 24);
            Backtest.Score b =
                    Backtest.Score.of(s, origin, new SeasonalNaive(24).forecast(s, origin, 48), 24);
            naive2[0] += a.smape() / train.size();
            naive2[1] += a.mase() / train.size();
            snaive[0] += b.smape() / train.size();
            snaive[1] += b.mase() / train.size();
        }
        assertThat(naive2[0]).isCloseTo(18.383, within(0.01));
        assertThat(naive2[1]).isCloseTo(2.395, within(0.01));
        assertThat(snaive[0]).isCloseTo(13.912, within(0.01));
        assertThat(snaive[1]).isCloseTo(1.193, within(0.01));
    }
}
