package org.jodb.transaction;

/**
 * {@code begin()} was called on an explicit-mode {@link TransactionManager} while its transaction was
 * still active. This is Sage X3's error 32, "Transaction started at a higher level of the nesting call":
 * there is one level of transaction, and only the code that began it may end it.
 *
 * <p>Remedy: commit or abort the active transaction first, or, in a routine that may be called inside a
 * transaction, test {@link TransactionManager#isActive()} (X3's {@code adxlog}) and only begin, commit and
 * abort when it was false, leaving the caller's transaction to the caller.
 */
public class AlreadyInTransactionException extends TransactionException {
    /** With {@code message}, which names the problem and the remedy. */
    public AlreadyInTransactionException(String message) {
        super(message);
    }
}
