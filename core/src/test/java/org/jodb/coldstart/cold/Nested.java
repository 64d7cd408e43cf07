package org.jodb.coldstart.cold;

/** Referenced from a {@link Wrapper} value inside a stored list's record (the nested path). */
public class Nested {
    private long value;

    public Nested(long value) {
        this.value = value;
    }

    protected Nested() {
    }

    public long value() {
        return value;
    }
}
