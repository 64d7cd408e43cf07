package org.jodb.bench;

/**
 * Collects one range scan's entries and checks them afterwards: exactly the expected consecutive keys, in
 * ascending order, each with its own value. A store that reads wrong fails the run here.
 */
final class ScanCheck implements BigMapStore.ScanSink {
    private final String[] keys;
    private final long[] values;
    private int count;

    ScanCheck(int length) {
        keys = new String[length];
        values = new long[length];
    }

    void reset() {
        count = 0;
    }

    @Override
    public void accept(String key, long value) {
        if (count < keys.length) {
            keys[count] = key;
            values[count] = value;
        }
        count++;
    }

    /**
     * @throws IllegalStateException when the scan did not return entries {@code start .. start + length - 1}
     *                               in order with their values
     */
    void check(String store, int start) {
        String range = "[" + BigMapKeys.key(start) + ", " + BigMapKeys.key(start + keys.length) + ")";
        if (count != keys.length) {
            throw new IllegalStateException(store + " returned " + count + " entries for the scan of " + range
                    + ", expected " + keys.length + ": the store reads wrong");
        }
        for (int j = 0; j < keys.length; j++) {
            String expected = BigMapKeys.key(start + j);
            if (!expected.equals(keys[j]) || values[j] != BigMapKeys.value(start + j)) {
                throw new IllegalStateException(store + " returned " + keys[j] + "=" + values[j] + " at position " + j
                        + " of the scan of " + range + ", expected " + expected + "=" + BigMapKeys.value(start + j)
                        + ": the store reads wrong");
            }
        }
    }
}
