package org.jodb.internal.object;

/**
 * jodb's bookkeeping for one persistent object (ZODB's {@code _p_*} attributes). Created when the object
 * joins a connection; dropped (the object is "disowned") when an abort or rollback forgets a new object.
 * Used by the thread of the owning connection only: {@link #beforeCall()}, {@link #beforeRead()} and
 * {@link #beforeChange()}, which every method of the object runs first, refuse any other thread
 * ({@link ObjectJar#thread()}) before they look at the state, so that a wrong-thread call changes nothing.
 */
public final class ObjectState {
    /** The oid of an object that has none yet. */
    public static final long NO_OID = -1;

    /** The object this state belongs to. */
    final PersistentObject self;
    /** The connection that owns the object; never changes. */
    final ObjectJar jar;
    /**
     * Whether the object is a piece of one of jodb's containers ({@link ContainerPart}: a bucket or branch of
     * a tree, a chunk of a large map), which the cache keeps in preference to the objects it leads to.
     */
    final boolean part;
    /** The object's oid, or {@link #NO_OID}. */
    long oid = NO_OID;
    /** The tid of the revision loaded (ZODB's {@code _p_serial}), 0 when never committed. */
    long serial;
    ObjectStatus status;
    /**
     * The bytes last saved for the object (the committed record, or what the last savepoint wrote);
     * {@code null} for an object never saved. A touched object is written only if its bytes differ.
     */
    byte[] saved;
    /**
     * The length of the object's record when it was last loaded or saved, in bytes (ZODB's
     * {@code _p_estimated_size}); 0 before either. Kept while a ghost. Set through {@code ObjectCache.resized}.
     */
    int estimatedSize;
    /** Set by {@code Persistence.markChanged}: write even when the bytes did not change. */
    boolean forced;
    /** Whether the object got its oid in the current transaction (forgotten on abort). */
    boolean created;
    /**
     * How many of the object's methods are running (on the connection's thread): while one runs, it may
     * change the object's fields after a savepoint taken inside it, so the savepoint keeps the object
     * touched (compared again at the next savepoint or commit, never ghosted by the cache).
     */
    int calls;
    /** Whether the object is on its cache's recency list (loaded and held strongly); see ObjectCache. */
    boolean inRecent;
    /**
     * For a container piece on its cache's recency list: used again since it was put last on the list or last
     * looked at by gc, which then gives it a second chance instead of ghosting it; see ObjectCache.
     */
    boolean usedAgain;
    /** The next more recently used loaded object on the cache's recency list, or null. */
    ObjectState newer;
    /** The next less recently used loaded object on the cache's recency list, or null. */
    ObjectState older;

    ObjectState(PersistentObject self, ObjectJar jar, ObjectStatus status) {
        this.self = self;
        this.jar = jar;
        this.status = status;
        this.part = self instanceof ContainerPart;
    }

    /**
     * Gives {@code copy}, made by {@code Object.clone} of this state's object (and so sharing this state),
     * a state of its own: a new object of the same connection, not yet stored. Anything else is left alone
     * (a {@code clone()} may return a new instance of its own making).
     */
    public void cloned(Object copy) {
        if (copy != self && copy instanceof PersistentObject p && p.$jodbState() == this) {
            p.$jodbState(new ObjectState(p, jar, ObjectStatus.UNSAVED));
        }
    }

    /**
     * Refuses a call from a thread other than the one the connection serves. On every call, so it compares
     * with the connection's cached thread only, and asks the connection when that differs.
     */
    private void checkThread() {
        if (jar.thread() != Thread.currentThread()) {
            jar.checkCaller(this);
        }
    }

    /** Called before every method of a persistent object runs. Cheap when already touched. */
    public void beforeCall() {
        checkThread();
        ObjectStatus s = status;
        if (s == ObjectStatus.TOUCHED || s == ObjectStatus.UNSAVED || s == ObjectStatus.LOADING) {
            return;
        }
        jar.beforeFirstCall(this);
    }

    /** Called by a proxy when one of the object's methods starts, after {@link #beforeCall()}. */
    public void callStarted() {
        calls++;
    }

    /** Called by a proxy when one of the object's methods ends, normally or by an exception. */
    public void callEnded() {
        calls--;
    }

    /**
     * Called before a container method that changes the content or hands out a value that may be changed
     * in place: like {@link #beforeCall()}, but refused where calls may only read (a failed transaction).
     */
    public void beforeChange() {
        checkThread();
        ObjectStatus s = status;
        if (s == ObjectStatus.TOUCHED || s == ObjectStatus.UNSAVED || s == ObjectStatus.LOADING) {
            return;
        }
        jar.beforeFirstWrite(this);
    }

    /**
     * Called before a read-only method of a container: loads a ghost but does not touch; a loaded one is
     * marked recently used, so that the cache's gc does not ghost a container read in every transaction.
     */
    public void beforeRead() {
        checkThread();
        ObjectStatus s = status;
        if (s == ObjectStatus.GHOST || s == ObjectStatus.CLEAN) {
            jar.activate(this);
        }
    }

    /** Called before a mutating method of a container: touches and forces a write. */
    public void beforeWrite() {
        beforeChange();
        forced = true;
    }

    /** Forces a write at the next savepoint or commit ({@code Persistence.markChanged}). */
    public void markChanged() {
        beforeWrite();
    }

    /**
     * Asks this object's connection to load those of {@code objects} that are its ghosts in one storage call: a
     * container's hint before it hands them out (a tree's iteration reaching a bucket). Refused from another
     * thread like any call; never fails otherwise (the objects then stay ghosts and load when used).
     */
    public void prefetchAlong(Iterable<?> objects) {
        checkThread();
        jar.prefetchHint(objects);
    }

    public long oid() {
        return oid;
    }

    public ObjectStatus status() {
        return status;
    }

    /** Whether {@code other}'s object belongs to the same connection as this one's. */
    public boolean sameConnectionAs(ObjectState other) {
        return other.jar == jar;
    }

    long serial() {
        return serial;
    }

    /** The record size last loaded or saved, in bytes. */
    int estimatedSize() {
        return estimatedSize;
    }
}
