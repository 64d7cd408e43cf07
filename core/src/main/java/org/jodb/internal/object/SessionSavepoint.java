package org.jodb.internal.object;

import org.jodb.transaction.DataManagerSavepoint;
import org.jodb.transaction.Transaction;

/**
 * A session's part of one savepoint: where its savepoint data and its set of new objects stood. Rolling back
 * to it can be done any number of times, as long as the session still works for the transaction that took
 * it (a session that left the transaction, closed and perhaps serving another manager now, is not touched).
 */
final class SessionSavepoint implements DataManagerSavepoint {
    private final ChangeTracker changes;
    private final SessionLife life;
    /** The transaction the savepoint was taken in; null when the session had left it (nothing to roll back). */
    private final Transaction owner;
    private final SavepointStates.Mark mark;
    private final LongLongTable createdAtMark;

    SessionSavepoint(ChangeTracker changes, SessionLife life, Transaction owner, SavepointStates.Mark mark,
            LongLongTable createdAtMark) {
        this.changes = changes;
        this.life = life;
        this.owner = owner;
        this.mark = mark;
        this.createdAtMark = createdAtMark;
    }

    /** The savepoint of a session in no transaction (it left the one asking): rolling back does nothing. */
    static SessionSavepoint ofNoTransaction() {
        return new SessionSavepoint(null, null, null, null, null);
    }

    @Override
    public void rollback() {
        if (owner != null && changes.isJoinedTo(owner)) {
            life.checkOpen();
            changes.rollbackTo(mark, createdAtMark);
        }
    }
}
