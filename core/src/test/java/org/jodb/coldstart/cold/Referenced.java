package org.jodb.coldstart.cold;

/** Referenced from the record of a stored list that every racing thread loads at once (the record path). */
public class Referenced {
    private long value;

    public Referenced(long value) {
        this.value = value;
    }

    protected Referenced() {
    }

    public long value() {
        return value;
    }
}
