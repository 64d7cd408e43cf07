package org.jodb.internal.object;

import org.jodb.internal.serialization.LazyReference;

/**
 * Implemented by the nodes of a tree ({@code PersistentTreeMap}'s buckets and branches): the keys read from a
 * committed record, which a node never changes in place (a change replaces its keys array), shared by the
 * database's connections that load the same revision of the node ({@link SharedRevisions}). Each connection
 * still reads the record; the one that read it first keeps its keys, and the others take them instead of their
 * own copy, so that eight connections walking one large tree keep one copy of its keys, not eight. Internal to
 * jodb (the names start with {@code $jodb}); application code never calls these methods.
 */
public interface SharedKeys {

    /**
     * Called right after this node's committed record was read into it: its keys and what was derived from
     * them, for the other connections, or null when a key is not {@link #immutable} (it is theirs alone).
     */
    Object $jodbKeysToShare();

    /** Takes {@code shared}, what {@link #$jodbKeysToShare} gave for the same revision, for the keys just read. */
    void $jodbAdoptKeys(Object shared);

    /**
     * Whether no one can change {@code value}, so that connections may share it: a node's keys, and a large
     * map's chunk's keys and values. Null, a reference not yet resolved, or a value of a type
     * {@link ImmutableTypes} accepts; never a persistent object, which is one connection's instance.
     */
    static boolean immutable(Object value) {
        if (value == null) {
            return true;
        }
        Class<?> c = value.getClass();
        return c == String.class || c == Long.class || c == LazyReference.class // most keys and values: no lookup
                || !(value instanceof PersistentObject) && ImmutableTypes.immutable(c);
    }
}
