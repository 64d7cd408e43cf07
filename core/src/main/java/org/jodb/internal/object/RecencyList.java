package org.jodb.internal.object;

/**
 * Loaded objects of one kind held strongly by an {@link ObjectCache}, least recently used first, with their
 * number and estimated bytes. The list is threaded through the states themselves
 * ({@link ObjectState#newer}/{@link ObjectState#older}, {@link ObjectState#inRecent}), so that marking an object
 * used allocates nothing; a state is on at most one list. Not thread-safe: used by the connection's thread.
 */
final class RecencyList {
    /** The least recently used object, or null. */
    private ObjectState oldest;
    /** The most recently used object, or null. */
    private ObjectState newest;
    private int count;
    /** The sum of {@link ObjectState#estimatedSize} over the list, in bytes. */
    private long bytes;

    /** Puts {@code state} last, as the most recently used: appended, or moved there if on this list. */
    void use(ObjectState state) {
        if (state.inRecent) {
            if (state == newest) {
                return;
            }
            detach(state);
        } else {
            state.inRecent = true;
            count++;
            bytes += state.estimatedSize;
        }
        state.older = newest;
        state.newer = null;
        if (newest == null) {
            oldest = state;
        } else {
            newest.newer = state;
        }
        newest = state;
    }

    /** Takes {@code state} off this list, if it is on it. */
    void remove(ObjectState state) {
        if (state.inRecent) {
            detach(state);
            state.older = null;
            state.newer = null;
            state.inRecent = false;
            count--;
            bytes -= state.estimatedSize;
        }
    }

    /** {@code state}, on this list, changed its estimated size by {@code delta} bytes. */
    void resized(long delta) {
        bytes += delta;
    }

    private void detach(ObjectState s) {
        if (s.older == null) {
            oldest = s.newer;
        } else {
            s.older.newer = s.newer;
        }
        if (s.newer == null) {
            newest = s.older;
        } else {
            s.newer.older = s.older;
        }
    }

    /** The least recently used object (follow {@link ObjectState#newer} for the rest), or null. */
    ObjectState oldest() {
        return oldest;
    }

    int count() {
        return count;
    }

    long bytes() {
        return bytes;
    }
}
