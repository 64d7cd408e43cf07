package org.jodb.bench;

/**
 * What one store did in one round of the big-map workloads, in the units of the table. {@code NaN} marks a
 * figure the store does not give (records loaded by a peer, scans by an unordered map).
 *
 * @param openMillis          workload 6: the cold open, until the map is in hand
 * @param firstGetMillis      workload 6: the first get after that open
 * @param firstGetRecords     records loaded by the first get
 * @param heapAfterFirstMb    heap held after the first get (used heap after a GC minus before the open), MiB
 * @param getP50Micros        median latency of the random gets that follow
 * @param getP99Micros        99th percentile of those gets
 * @param recordsPerGet       records loaded per random get
 * @param heapAfterGetsMb     heap held after the random gets, MiB
 * @param scansPerSecond      workload 7: range scans per second, after a cold open of their own
 * @param scanP99Micros       99th percentile of one scan's time
 */
record BigMapRound(double openMillis, double firstGetMillis, double firstGetRecords, double heapAfterFirstMb,
                   double getP50Micros, double getP99Micros, double recordsPerGet, double heapAfterGetsMb,
                   double scansPerSecond, double scanP99Micros) {
}
