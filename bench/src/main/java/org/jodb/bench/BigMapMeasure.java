package org.jodb.bench;

import java.util.function.ToDoubleFunction;

/** The rows of the big-map table: one figure of a {@link BigMapRound} each. */
enum BigMapMeasure {
    OPEN("6. cold open", "ms", BigMapRound::openMillis, 1),
    FIRST_GET("6. first get after the open", "ms", BigMapRound::firstGetMillis, 2),
    FIRST_GET_RECORDS("6. records loaded by the first get", "records", BigMapRound::firstGetRecords, 0),
    HEAP_AFTER_FIRST("6. heap after the first get", "MiB", BigMapRound::heapAfterFirstMb, 1),
    GET_P50("6. random get, p50", "µs", BigMapRound::getP50Micros, 1),
    GET_P99("6. random get, p99", "µs", BigMapRound::getP99Micros, 1),
    RECORDS_PER_GET("6. records loaded per random get", "records", BigMapRound::recordsPerGet, 2),
    HEAP_AFTER_GETS("6. heap after the random gets", "MiB", BigMapRound::heapAfterGetsMb, 1),
    SCANS("7. range scans of 100 keys", "scans/s", BigMapRound::scansPerSecond, 0),
    SCAN_P99("7. one scan, p99", "µs", BigMapRound::scanP99Micros, 1);

    final String label;
    final String unit;
    final ToDoubleFunction<BigMapRound> figure;
    /** Decimals shown in the table. */
    final int decimals;

    BigMapMeasure(String label, String unit, ToDoubleFunction<BigMapRound> figure, int decimals) {
        this.label = label;
        this.unit = unit;
        this.figure = figure;
        this.decimals = decimals;
    }

    boolean isScan() {
        return this == SCANS || this == SCAN_P99;
    }

    boolean isRecordCount() {
        return this == FIRST_GET_RECORDS || this == RECORDS_PER_GET;
    }
}
