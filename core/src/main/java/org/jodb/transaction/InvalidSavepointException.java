package org.jodb.transaction;

/**
 * A {@link Savepoint} that is no longer valid was rolled back. A savepoint becomes invalid when an
 * earlier savepoint of its transaction is rolled back, or when its transaction commits or aborts; the
 * message says which.
 *
 * <p>Remedy: roll back to a savepoint that is still valid ({@link Savepoint#isValid()}) or take a new one.
 * The transaction itself is unaffected.
 */
public class InvalidSavepointException extends TransactionException {
    /** With {@code message}, which names the problem and the remedy. */
    public InvalidSavepointException(String message) {
        super(message);
    }
}
