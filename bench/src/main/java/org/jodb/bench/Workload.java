package org.jodb.bench;

import java.util.Locale;

/**
 * The workloads of the peer comparison; each store does the same work on the same data. Workload 8 runs only
 * on stores that several processes share (the PostgreSQL ones).
 */
enum Workload {
    INSERT(1, "insert, commit every 1,000", "accounts/s"),
    UPDATE(2, "transactions of 10 random changes", "commits/s"),
    SAVEPOINT(3, "changes, savepoint, changes, rollback", "changes/s"),
    COLD_READ(4, "close, cold open, read all", "accounts/s"),
    CONCURRENT(5, "8 threads doing workload 2", "commits/s"),
    TWO_JVMS(8, "workload 5 across 2 JVMs × 4 threads", "commits/s");

    final int number;
    final String title;
    final String unit;

    Workload(int number, String title, String unit) {
        this.number = number;
        this.title = title;
        this.unit = unit;
    }

    /** Parses {@code 2}, {@code w2} or a name such as {@code update}. */
    static Workload parse(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("w")) {
            t = t.substring(1);
        }
        for (Workload w : values()) {
            if (t.equals(Integer.toString(w.number)) || t.equals(w.name().toLowerCase(Locale.ROOT))) {
                return w;
            }
        }
        throw new IllegalArgumentException("unknown workload '" + s + "': use 1-5, 8 or one of insert, update,"
                + " savepoint, cold_read, concurrent, two_jvms");
    }
}
