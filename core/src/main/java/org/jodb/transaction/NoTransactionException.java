package org.jodb.transaction;

/**
 * An explicit-mode {@link TransactionManager} was asked to use its transaction ({@code get()},
 * {@code commit()}, {@code abort()}, {@code savepoint()}, {@code doom()}, {@code isDoomed()}) when none
 * had been begun. This is Sage X3's error 48, "No transaction in progress".
 *
 * <p>Cause: a missing {@code begin()}, or a transaction that was already committed or aborted.
 * Remedy: call {@code begin()} first; test {@link TransactionManager#isActive()} (X3's {@code adxlog})
 * when a routine may be called both inside and outside a transaction.
 */
public class NoTransactionException extends TransactionException {
    /** With {@code message}, which names the problem and the remedy. */
    public NoTransactionException(String message) {
        super(message);
    }
}
