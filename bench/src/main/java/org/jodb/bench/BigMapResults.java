package org.jodb.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a big-map run found, per store: how it was built, and each round's figures. */
final class BigMapResults {

    /**
     * One store's build and rounds.
     *
     * @param product     product and version
     * @param description how the map is kept, for the notes
     * @param cannotScan  why the store cannot scan, or {@code null}
     * @param buildSeconds time to build the map (create, every batch committed, close)
     * @param bytesOnDisk size of the store's files after the build
     * @param rounds      the rounds' figures, in the order they ran
     */
    record StoreFigures(String product, String description, String cannotScan, double buildSeconds,
                        long bytesOnDisk, List<BigMapRound> rounds) {
    }

    private final Map<String, StoreFigures> stores = new LinkedHashMap<>();

    void built(String name, BigMapStore store, double buildSeconds, long bytesOnDisk) {
        stores.put(name, new StoreFigures(store.product(), store.describe(), store.cannotScan(), buildSeconds,
                bytesOnDisk, new ArrayList<>()));
    }

    void round(String name, BigMapRound round) {
        StoreFigures figures = stores.get(name);
        if (figures == null) {
            throw new IllegalStateException(name + " has a round but was never built");
        }
        figures.rounds().add(round);
    }

    StoreFigures figures(String name) {
        return stores.get(name);
    }

    /** The median over the rounds and its min and max, or {@code NaN}s when the store gives no such figure. */
    double[] medianMinMax(String name, BigMapMeasure measure) {
        double[] values = stores.get(name).rounds().stream().mapToDouble(measure.figure).filter(v -> !Double.isNaN(v))
                .sorted().toArray();
        if (values.length == 0) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN};
        }
        int n = values.length;
        double median = n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
        return new double[] {median, values[0], values[n - 1]};
    }
}
