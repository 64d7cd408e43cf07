package org.jodb.internal.object;

import org.jodb.internal.serialization.ObjectRecordCodec;

/**
 * Turns loaded objects of one session back into ghosts, which load their state again at their next call.
 * Their identity stays: references to them stay valid.
 */
final class Ghosts {
    private final ObjectRecordCodec codec;
    private final ObjectCache cache;

    Ghosts(ObjectRecordCodec codec, ObjectCache cache) {
        this.codec = codec;
        this.cache = cache;
    }

    /**
     * Its state is no longer the one to read (another transaction committed a newer one, or a change of this
     * session's was thrown away): a ghost, its fields left until the next load overwrites them.
     */
    void invalidate(ObjectState s) {
        s.status = ObjectStatus.GHOST;
        s.saved = null;
        s.forced = false;
        cache.ghosted(s);
    }

    /**
     * Frees its memory (the cache shrinking, {@code cacheMinimize}): a ghost with its fields cleared. The
     * caller tells the cache.
     */
    void unload(ObjectState s) {
        codec.clearFields(s.self);
        s.status = ObjectStatus.GHOST;
        s.saved = null;
    }
}
