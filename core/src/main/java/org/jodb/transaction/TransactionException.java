package org.jodb.transaction;

/** The parent of every exception of the transaction package. All are unchecked. */
public class TransactionException extends RuntimeException {
    public TransactionException(String message) {
        super(message);
    }

    public TransactionException(String message, Throwable cause) {
        super(message, cause);
    }
}
