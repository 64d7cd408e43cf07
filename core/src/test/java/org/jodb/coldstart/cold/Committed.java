package org.jodb.coldstart.cold;

/** Made and committed into the root on every racing thread at once (the commit path). */
public class Committed {
    private long value;

    public Committed(long value) {
        this.value = value;
    }

    protected Committed() {
    }

    public long value() {
        return value;
    }
}
