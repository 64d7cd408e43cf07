/**
 * Transactions for jodb and anything that joins them: a Java rendering of ZODB's {@code transaction}
 * package. It knows nothing about objects or storage.
 *
 * <p>Start at {@link org.jodb.transaction.Transactions} (the calling thread's transactions) or
 * {@link org.jodb.transaction.TransactionManager} (implicit mode like ZODB, explicit mode like Sage X3).
 * The contracts are in the interfaces: {@link org.jodb.transaction.Transaction},
 * {@link org.jodb.transaction.Savepoint}, and for participants {@link org.jodb.transaction.DataManager},
 * {@link org.jodb.transaction.DataManagerSavepoint} and {@link org.jodb.transaction.Synchronizer}. Every
 * exception extends {@link org.jodb.transaction.TransactionException}; retryable ones extend
 * {@link org.jodb.transaction.TransientException}.
 *
 * <p>Where jodb differs from ZODB: {@code with tm:} becomes try-with-resources on the transaction, which
 * aborts unless it was committed; {@code with attempt:} becomes try-with-resources on an
 * {@link org.jodb.transaction.Attempt}, whose block calls {@code commit()} itself and hands a failure of the
 * work to {@code retryOrThrow}; the decorator {@code @tm.run} becomes {@code run(work)}; an ended
 * transaction refuses further commits, joins and savepoints with {@link java.lang.IllegalStateException}
 * instead of silently accepting them; a transaction, and its savepoints, may only be used from the thread it was created on.
 */
package org.jodb.transaction;
