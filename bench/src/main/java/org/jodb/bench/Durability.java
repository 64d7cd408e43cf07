package org.jodb.bench;

/** The two durability modes every workload runs in. */
enum Durability {
    /** {@code commit()} returns only after the data was forced to disk (fsync). */
    SYNC("fsync per commit"),
    /** The store's deferred mode: {@code commit()} returns before the fsync (a crash may lose recent commits). */
    DEFERRED("deferred");

    final String label;

    Durability(String label) {
        this.label = label;
    }
}
