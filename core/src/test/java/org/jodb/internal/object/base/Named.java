package org.jodb.internal.object.base;

/** A superclass in another package whose methods a proxy can all override. */
public class Named {
    private String name;

    protected Named() {
    }

    protected Named(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }
}
