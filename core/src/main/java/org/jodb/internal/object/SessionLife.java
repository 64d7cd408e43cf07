package org.jodb.internal.object;

/**
 * Whether a session may be used: open, closed (back in its database's pool, to be opened again), or
 * released (its database closed, or it was dropped: for good). Read by the session's own thread, set also by
 * the thread that closes the database.
 */
final class SessionLife {
    private volatile boolean closed;
    private volatile boolean released;

    /** Opened (again) from the pool. */
    void opened() {
        closed = false;
    }

    /** Closed by its connection: it may be opened again. */
    void closed() {
        closed = true;
    }

    /** Its database closed, or it was dropped: every later use fails. */
    void released() {
        released = true;
        closed = true;
    }

    boolean isClosed() {
        return closed;
    }

    boolean isReleased() {
        return released;
    }

    /** @throws IllegalStateException naming the remedy when the session is closed or released */
    void checkOpen() {
        if (released) {
            throw new IllegalStateException("connection closed: its database was closed; open the database"
                    + " again");
        }
        if (closed) {
            throw new IllegalStateException("connection closed; open a new one with Database.open()");
        }
    }
}
