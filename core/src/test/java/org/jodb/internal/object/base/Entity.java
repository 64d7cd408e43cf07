package org.jodb.internal.object.base;

/** A superclass in another package than its persistent subclasses, for UserClassChecksTest. */
public class Entity {
    private String id;

    protected Entity() {
    }

    protected Entity(String id) {
        this.id = id;
    }

    /** Package-private: code of this package reads it, and a proxy in another package cannot override it. */
    String id() {
        return id;
    }

    /** What code of this package sees of an entity. */
    public static String idOf(Entity entity) {
        return entity.id();
    }
}
