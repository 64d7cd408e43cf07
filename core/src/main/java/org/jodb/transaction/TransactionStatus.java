package org.jodb.transaction;

/** The states of a {@link Transaction} (ZODB-SEMANTICS 6). */
public enum TransactionStatus {
    ACTIVE, COMMITTING, COMMITTED, DOOMED, COMMIT_FAILED
}
