package dev.foreshadow.jobs.cli;

import dev.foreshadow.models.forecast.Forecast;
import dev.foreshadow.models.forecast.Series;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/** A PNG of one forecast: recent history and actuals, the median and the P10-P90 band. */
final class ForecastChart {

    private ForecastChart() {}

    static void write(
            Path file,
            String title,
            Series series,
            int origin,
            Forecast forecast,
            int historyShown) {
        XYSeries actual = new XYSeries("actual");
        int from = Math.max(0, origin - historyShown);
        int to = Math.min(series.length(), origin + forecast.horizon());
        for (int t = from; t < to; t++) {
            actual.add(t - origin, series.values()[t]);
        }
        YIntervalSeries band = new YIntervalSeries("P50 with P10-P90");
        for (int h = 0; h < forecast.horizon(); h++) {
            band.add(h, forecast.p50()[h], forecast.p10()[h], forecast.p90()[h]);
        }
        YIntervalSeriesCollection bands = new YIntervalSeriesCollection();
        bands.addSeries(band);
        DeviationRenderer bandRenderer = new DeviationRenderer(true, false);
        bandRenderer.setSeriesPaint(0, new Color(0x1f, 0x77, 0xb4));
        bandRenderer.setSeriesFillPaint(0, new Color(0x1f, 0x77, 0xb4));
        bandRenderer.setAlpha(0.25f);
        bandRenderer.setSeriesStroke(0, new BasicStroke(2f));
        XYPlot plot =
                new XYPlot(
                        bands,
                        new NumberAxis("steps from forecast origin"),
                        new NumberAxis("value"),
                        bandRenderer);
        XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, false);
        lines.setSeriesPaint(0, Color.BLACK);
        plot.setDataset(1, new XYSeriesCollection(actual));
        plot.setRenderer(1, lines);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        try {
            Files.createDirectories(file.getParent());
            ChartUtils.saveChartAsPNG(file.toFile(), chart, 900, 420);
        } catch (IOException e) {
            throw new CliException("cannot write " + file + ": " + e.getMessage());
        }
    }
}
