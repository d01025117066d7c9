package dev.foreshadow.jobs.cli;

import dev.foreshadow.models.simulation.AllocationEvaluation;
import dev.foreshadow.models.simulation.SimulationResult;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A PNG of one allocation evaluation over the measured span: above, the demand (cores the runs use
 * on an unbounded cluster) and each policy's READY capacity in cores; below, each policy's cores
 * waiting in the queue.
 */
final class AllocationChart {

    private static final Color[] COLORS = {
        new Color(0xd6, 0x27, 0x28), // reactive
        new Color(0x94, 0x67, 0xbd), // hybrid
        new Color(0x1f, 0x77, 0xb4), // foreshadow
        new Color(0x2c, 0xa0, 0x2c) // oracle
    };

    private AllocationChart() {}

    static void write(Path file, String title, AllocationEvaluation.Report report) {
        XYSeriesCollection capacity = new XYSeriesCollection();
        XYSeriesCollection waiting = new XYSeriesCollection();
        SimulationResult.Timeline grid = report.results().get(0).timeline();
        XYSeries demand = new XYSeries("demand (unbounded)");
        for (int i = 0; i < report.demandCores().length; i++) {
            demand.add(hours(grid, i), report.demandCores()[i]);
        }
        capacity.addSeries(demand);
        for (SimulationResult r : report.results()) {
            XYSeries ready = new XYSeries(r.policy() + " ready");
            XYSeries queued = new XYSeries(r.policy() + " waiting");
            SimulationResult.Timeline t = r.timeline();
            for (int i = 0; i < t.readyCores().length; i++) {
                ready.add(hours(t, i), t.readyCores()[i]);
                queued.add(hours(t, i), t.queuedCores()[i]);
            }
            capacity.addSeries(ready);
            waiting.addSeries(queued);
        }
        XYLineAndShapeRenderer top = new XYLineAndShapeRenderer(true, false);
        top.setSeriesPaint(0, Color.BLACK);
        top.setSeriesStroke(0, new BasicStroke(1.5f));
        XYLineAndShapeRenderer bottom = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < report.results().size(); i++) {
            Color c = COLORS[i % COLORS.length];
            top.setSeriesPaint(i + 1, c);
            top.setSeriesStroke(i + 1, new BasicStroke(1f));
            bottom.setSeriesPaint(i, c);
            bottom.setSeriesStroke(i, new BasicStroke(1f));
        }
        XYPlot upper = new XYPlot(capacity, null, new NumberAxis("cores"), top);
        XYPlot lower = new XYPlot(waiting, null, new NumberAxis("cores waiting"), bottom);
        CombinedDomainXYPlot plot =
                new CombinedDomainXYPlot(new NumberAxis("hours from the start of the part"));
        plot.add(upper, 3);
        plot.add(lower, 1);
        for (XYPlot p : new XYPlot[] {upper, lower}) {
            p.setBackgroundPaint(Color.WHITE);
            p.setRangeGridlinePaint(Color.LIGHT_GRAY);
        }
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            ChartUtils.saveChartAsPNG(file.toFile(), chart, 1200, 600);
        } catch (IOException e) {
            throw new CliException("cannot write " + file + ": " + e.getMessage());
        }
    }

    private static double hours(SimulationResult.Timeline t, int i) {
        return (i + 0.5) * t.stepMs() / 3.6e6;
    }
}
