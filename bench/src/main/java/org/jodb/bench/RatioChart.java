package org.jodb.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries.CategorySeriesRenderStyle;
import org.knowm.xchart.style.Styler;

/**
 * The PNG bar chart of the ratios jodb/peer, one group of bars per workload and mode, one bar per
 * peer, and a line at 1× (parity). A missing bar means one of the two could not do that workload or
 * mode (the markdown table says why). Bars above {@value #CUT}× are cut there so that the small ratios
 * stay readable; their labels then show the cut value and the table has the real one. (XChart cannot
 * draw bars on a logarithmic axis.)
 */
final class RatioChart {
    static final double CUT = 5;
    private RatioChart() {
    }

    /** Writes the chart; returns false (writing nothing) when there is no ratio to draw. */
    static boolean write(BenchOptions options, MarkdownReport report, Path png) {
        List<String> peers = options.stores().stream().filter(s -> !s.startsWith("jodb")).toList();
        if (!options.stores().contains("jodb") || peers.isEmpty()) {
            return false;
        }
        List<String> categories = new ArrayList<>();
        List<List<Double>> series = new ArrayList<>();
        peers.forEach(p -> series.add(new ArrayList<>()));
        boolean any = false;
        for (Workload w : options.workloads()) {
            for (Durability mode : options.modes()) {
                categories.add("W" + w.number + (mode == Durability.SYNC ? " fsync" : " deferred"));
                for (int i = 0; i < peers.size(); i++) {
                    double r = report.ratio(w, mode, peers.get(i));
                    boolean ok = !Double.isNaN(r) && !Double.isInfinite(r) && r > 0;
                    series.get(i).add(ok ? Math.min(r, CUT) : Double.NaN);
                    any |= ok;
                }
            }
        }
        if (!any) {
            return false;
        }
        CategoryChart chart = new CategoryChartBuilder().width(1100).height(550)
                .title("jodb / peer, median ops/s (above 1 = jodb faster; bars cut at " + (int) CUT + "x)")
                .xAxisTitle("workload and durability mode").yAxisTitle("ratio").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setDecimalPattern("0.00");
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setLabelsFontColorAutomaticEnabled(false);
        chart.getStyler().setXAxisLabelRotation(20);
        for (int i = 0; i < peers.size(); i++) {
            chart.addSeries("jodb / " + peers.get(i), categories, series.get(i));
        }
        chart.addSeries("parity (1x)", categories, categories.stream().map(c -> 1.0).toList())
                .setChartCategorySeriesRenderStyle(CategorySeriesRenderStyle.Line);
        try {
            BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + png, e);
        }
        return true;
    }
}
