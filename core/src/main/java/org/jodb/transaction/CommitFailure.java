package org.jodb.transaction;

/**
 * The first failure of a transaction's commit, savepoint or rollback, and where it happened ("commit",
 * "savepoint", "rollback of savepoint 2"): from then on the transaction can only be aborted, and every
 * other operation throws {@link #asException()}.
 */
record CommitFailure(String at, Throwable cause) {

    TransactionFailedException asException() {
        return new TransactionFailedException("transaction failed at " + at + ": " + cause
                + "; abort it before reusing this thread's manager", cause);
    }
}
