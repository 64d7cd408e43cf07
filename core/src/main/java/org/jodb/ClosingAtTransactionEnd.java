package org.jodb;

import org.jodb.internal.object.Session;
import org.jodb.transaction.Transaction;
import org.jodb.transaction.TransactionManager;

/**
 * Closes a connection that jodb opened for one piece of work in a manager's transaction (an undo, when the
 * manager had no connection of the database open) once that transaction ends: left open, it would hold every
 * later pack back at its snapshot until the database closes.
 */
final class ClosingAtTransactionEnd {

    private ClosingAtTransactionEnd() {
    }

    /**
     * Closes {@code connection} (whose session is {@code session}) at once when it joined no transaction, else
     * after its transaction commits or aborts. Hooks, not a synchronizer: a manager holds its synchronizers
     * weakly, and nothing else would keep this one alive. A failed commit runs the after-commit hooks with
     * false and leaves the transaction to an abort, whose hook closes it then.
     */
    static void close(Connection connection, Session session, TransactionManager manager) {
        if (!session.isJoined()) {
            connection.close();
            return;
        }
        Transaction txn = manager.get();
        txn.addAfterCommitHook(committed -> {
            if (committed) {
                connection.close();
            }
        });
        txn.addAfterAbortHook(connection::close);
    }
}
