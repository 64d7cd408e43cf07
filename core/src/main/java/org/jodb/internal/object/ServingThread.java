package org.jodb.internal.object;

/**
 * The refusal of a call from a thread other than the one a connection serves (the thread of its transaction
 * manager). A thread that has ended is not waited for: the connection is used by one thread at a time, and
 * the next transaction started on the calling thread takes the manager over.
 */
final class ServingThread {

    private ServingThread() {
    }

    /**
     * Whether a call from the current thread is refused while the manager serves {@code serving}: not when
     * it is that thread, no thread is served ({@code null}), or the served thread has ended.
     */
    static boolean refuses(Thread serving) {
        return serving != null && serving != Thread.currentThread() && serving.isAlive();
    }

    /**
     * The refusal of a call from the current thread.
     *
     * @param what what was called, for the message ("a connection", "a Account of a connection")
     */
    static IllegalStateException refusal(String what, Thread serving) {
        return new IllegalStateException(what + " serving thread '" + serving.getName() + "' was used from thread '"
                + Thread.currentThread().getName() + "'. A connection and its objects belong to the thread of its"
                + " TransactionManager, as in ZODB; the call was refused and changed nothing, and thread '"
                + serving.getName() + "' can go on. On this thread, open a connection of its own (Database.open())"
                + " and reach the object through it (from its root, or Connection.get with Persistence.oid);"
                + " pass oids or plain values between threads, not persistent objects.");
    }
}
