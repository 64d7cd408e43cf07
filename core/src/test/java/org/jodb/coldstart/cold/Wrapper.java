package org.jodb.coldstart.cold;

/** A plain value (not persistent) stored inside another object's record, holding a persistent {@link Nested}. */
public class Wrapper {
    private Nested target;

    public Wrapper(Nested target) {
        this.target = target;
    }

    protected Wrapper() {
    }

    public Nested target() {
        return target;
    }
}
