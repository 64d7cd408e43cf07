package org.jodb.serialization;

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
     * Records an entry whose transaction has voted and is about to finish: records that name it can be
     * read from now on, but {@link #idOf} does not give it to new records until {@link #addCommitted}.
     * A record naming it becomes visible to others only when that transaction finishes; until
     * then the storage lets no other transaction vote, and so no conflict resolution read such a record
     * before it knew the entry (a connection learns the entries it created only after its commit). An
     * entry whose transaction aborts after all is never named by a committed record (its id is an oid no one
     * else gets), so knowing it does no harm.
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
