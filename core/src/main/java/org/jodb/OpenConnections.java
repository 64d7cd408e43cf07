package org.jodb;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.jodb.internal.object.ObjectLayer;
import org.jodb.internal.object.Session;
import org.jodb.transaction.TransactionManager;

/**
 * A database's connections (their sessions): those open, and a pool of closed ones whose caches stay warm
 * (ZODB's pool). Its monitor guards only these sets, for a few instructions: no user code and no storage call
 * runs while it is held.
 */
final class OpenConnections {
    /** Closed connections kept for reuse (ZODB's pool_size). */
    private static final int POOL_SIZE = 7;

    private final ObjectLayer layer;
    private final ArrayDeque<Session> pool = new ArrayDeque<>();
    private final Set<Session> open = Collections.newSetFromMap(new IdentityHashMap<>());
    private long sessions;
    private boolean closed;

    OpenConnections(ObjectLayer layer) {
        this.layer = layer;
    }

    /** A pooled session, or a new one, registered as open; it may still serve another manager. */
    synchronized Session take(TransactionManager manager) {
        checkOpen();
        Session session = pool.pollLast();
        if (session == null) {
            session = new Session(layer, manager, ++sessions);
        }
        open.add(session);
        return session;
    }

    /** A new historical session at {@code tid}, registered as open. */
    synchronized Session historical(TransactionManager manager, long tid) {
        checkOpen();
        Session session = Session.historical(layer, manager, ++sessions, tid);
        open.add(session);
        return session;
    }

    /**
     * Undoes the registration of a session whose open failed: left among the open connections, its snapshot
     * would hold every later pack back until the database closes. It is dropped, not pooled: its state is
     * whatever the failure left.
     */
    void abandon(Session session) {
        synchronized (this) {
            open.remove(session);
        }
        session.release();
    }

    /** A connection closed: its session goes to the pool, or is released when the pool is full. */
    synchronized void released(Session session) {
        open.remove(session);
        if (!closed && !session.isHistorical() && pool.size() < POOL_SIZE) {
            pool.addLast(session);
        } else {
            session.release();
        }
    }

    /** The oldest snapshot of the open connections, or {@code start} when it is older. */
    synchronized long oldestSnapshot(long start) {
        checkOpen();
        long oldest = start;
        for (Session s : open) {
            oldest = Math.min(oldest, s.snapshot());
        }
        return oldest;
    }

    /** An open connection's session of {@code manager} to write an undo through (one in a transaction first). */
    synchronized Session writerOf(TransactionManager manager) {
        checkOpen();
        Session found = null;
        for (Session s : open) {
            if (s.manager() == manager && !s.isHistorical() && !s.isClosed() && (found == null || s.isJoined())) {
                found = s;
            }
        }
        return found;
    }

    synchronized int openCount() {
        return open.size();
    }

    /** Loaded objects in the caches of open and pooled sessions, as of each one's last transaction boundary. */
    synchronized long cachedObjects() {
        long cached = 0;
        for (Session s : open) {
            cached += s.cachedObjectsAtBoundary();
        }
        for (Session s : pool) {
            cached += s.cachedObjectsAtBoundary();
        }
        return cached;
    }

    synchronized boolean isClosed() {
        return closed;
    }

    synchronized void checkOpen() {
        if (closed) {
            throw new IllegalStateException("database closed; open it again");
        }
    }

    /** Releases every session; returns false when closed already. */
    synchronized boolean close() {
        if (closed) {
            return false;
        }
        closed = true;
        for (Session s : open) {
            s.release();
        }
        open.clear();
        for (Session s : pool) {
            s.release();
        }
        pool.clear();
        return true;
    }
}
