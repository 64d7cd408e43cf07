package org.jodb.coldstart.cold;

/** Stored beforehand and loaded by oid on every racing thread at once (the ghost path). */
public class Loaded {
    private long value;

    public Loaded(long value) {
        this.value = value;
    }

    protected Loaded() {
    }

    public long value() {
        return value;
    }
}
