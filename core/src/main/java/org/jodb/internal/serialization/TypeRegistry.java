package org.jodb.internal.serialization;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The committed part of a database's registry: entries (class names and field layouts) that records
 * refer to by a small number instead of spelling them out. Each entry is a record of its own in the
 * storage, at an oid allocated for it, so ids are unique without coordination and survive restarts;
 * records list the entries they use among their references, so pack keeps them.
 *
 * <p>Holds only entries whose record is committed. Thread-safe.
 */
public final class TypeRegistry {
    private final Map<String, Long> ids = new ConcurrentHashMap<>();
    private final Map<Long, String> entries = new ConcurrentHashMap<>();

    /** The id of a committed entry, or {@code null}. */
    public Long idOf(String entry) {
        return ids.get(entry);
    }

    /** The committed entry with {@code id}, or {@code null} when not known yet. */
    public String entryOf(long id) {
        return entries.get(id);
    }

    /**
     * Records an entry whose transaction has voted: from now on a record that names it can be decoded, but
     * {@link #idOf} gives it to new records only after {@link #addCommitted}. Published at vote because
     * another thread's conflict resolution may decode the transaction's records the moment the storage
     * finished it, before its connection gets to {@code addCommitted}. An entry whose transaction aborts
     * after voting is never named by a committed record (its id is an oid no one else gets), so knowing it
     * does no harm.
     */
    public void addReadable(long id, String entry) {
        entries.put(id, entry);
    }

    /** Records an entry known to be committed (written by a finished transaction or read from storage). */
    public void addCommitted(long id, String entry) {
        entries.put(id, entry);
        ids.putIfAbsent(entry, id);
    }
}
