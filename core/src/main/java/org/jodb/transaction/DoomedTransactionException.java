package org.jodb.transaction;

/**
 * {@code commit()} was called on a transaction that was {@linkplain Transaction#doom() doomed}. Nothing
 * was written and no data manager was called; the transaction stays doomed, and every further commit
 * throws this again.
 *
 * <p>Remedy: abort the transaction (a doomed transaction can still be joined and used for reading, but it
 * can only end by {@code abort()}).
 */
public class DoomedTransactionException extends TransactionException {
    /** With {@code message}, which names the problem and the remedy. */
    public DoomedTransactionException(String message) {
        super(message);
    }
}
