package org.jodb.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * The PNG bar chart of the ratios jodb/peer, one group of bars per workload and mode, one bar per
 * peer, on a logarithmic axis so that 0.5× and 2× are equally far from 1×. A missing bar means one
 * of the two could not do that workload or mode (the markdown table says why).
 */
final class RatioChart {
    private RatioChart() {
    }

    /** Writes the chart; returns false (writing nothing) when there is no ratio to draw. */
    static boolean write(BenchOptions options, MarkdownReport report, Path png) {
        List<String> peers = options.stores().stream().filter(s -> !s.equals("jodb")).toList();
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
                    series.get(i).add(ok ? r : null);
                    any |= ok;
                }
            }
        }
        if (!any) {
            return false;
        }
        CategoryChart chart = new CategoryChartBuilder().width(1100).height(550)
                .title("jodb / peer, median ops/s (above 1 = jodb faster)")
                .xAxisTitle("workload and durability mode").yAxisTitle("ratio (log scale)").build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setLabelsFontColorAutomaticEnabled(false);
        chart.getStyler().setXAxisLabelRotation(20);
        for (int i = 0; i < peers.size(); i++) {
            chart.addSeries("jodb / " + peers.get(i), categories, series.get(i));
        }
        try {
            BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + png, e);
        }
        return true;
    }
}
