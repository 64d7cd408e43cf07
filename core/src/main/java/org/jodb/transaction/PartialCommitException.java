package org.jodb.transaction;

/**
 * The commit failed in its second phase after some data managers had finished: those committed their changes
 * and cannot be undone, the one named failed to finish, and the rest were aborted. The transaction is neither
 * committed nor rolled back as a whole. Its {@link #getCause() cause} is the failure of that data manager's
 * {@code tpcFinish}.
 *
 * <p>Cause: a data manager could not complete a commit it had voted for (a database server lost between vote
 * and finish, for example). Remedy: abort the transaction, then find out from each resource what it holds
 * before redoing any work: the message names the data managers that finished and the one that did not. Never
 * retried by {@link TransactionManager#run(int, java.util.concurrent.Callable)}: redoing the work would repeat
 * what is committed.
 */
public class PartialCommitException extends TransactionException {
    /** With {@code message}, which names the data managers that finished and the one that failed. */
    public PartialCommitException(String message, Throwable cause) {
        super(message, cause);
    }
}
