package org.jodb.coldstart.cold;

/** Made by {@code Connection.create} on every racing thread at once (the create path). */
public class Created {
    private long value;

    public Created(long value) {
        this.value = value;
    }

    protected Created() {
    }

    public long value() {
        return value;
    }
}
