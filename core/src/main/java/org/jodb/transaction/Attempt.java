package org.jodb.transaction;

import java.util.List;
import java.util.Objects;

/**
 * One try of a piece of work, handed out by {@link TransactionManager#attempts(int)}: the Java rendering
 * of ZODB's {@code for attempt in tm.attempts(): with attempt: ...}. The attempt's transaction was begun
 * when the loop handed the attempt out.
 *
 * <pre>{@code
 * for (Attempt attempt : manager.attempts(3)) {
 *     try (attempt) {
 *         account.deposit(10);
 *         attempt.commit();            // a retryable failure here: aborted, and the loop goes on
 *     } catch (RuntimeException e) {
 *         attempt.retryOrThrow(e);     // only for retryable failures thrown by the work itself
 *     }
 * }
 * }</pre>
 *
 * <h2>Outcomes</h2>
 * <ul>
 *   <li>{@link #commit()} succeeds: the loop ends.</li>
 *   <li>The commit, or the work (passed to {@link #retryOrThrow}), fails with an error that is
 *       {@linkplain Transaction#isRetryable retryable} (a {@link TransientException} such as a conflict,
 *       or a joined data manager's {@link DataManager#shouldRetry} says so) and this is not the last
 *       attempt: the transaction is aborted, the error is dropped and the loop hands out the next
 *       attempt, in a new transaction, after the manager's pause before a retry
 *       ({@link TransactionManager#setRetryBackoff}).</li>
 *   <li>Any other failure, or a failure of the last attempt: the transaction is aborted and the error is
 *       thrown, ending the loop.</li>
 *   <li>The block ends without {@code commit()} and without a retry: {@link #close()} aborts the
 *       transaction and the loop ends.</li>
 * </ul>
 *
 * <p>Differences from ZODB, where Java has no equivalent: Python's {@code with attempt:} commits when its
 * block ends normally, and sees (and may swallow) the block's exception; Java's {@code close()} sees
 * neither, so the block calls {@code commit()} itself and passes its exception to {@code retryOrThrow}.
 * ZODB's last attempt leaves a transaction whose commit failed current until the next {@code begin()} or
 * {@code abort()}; jodb aborts it, as {@link TransactionManager#run} does.
 *
 * <p>An attempt belongs to the thread of its manager and is used once.
 */
public final class Attempt implements AutoCloseable {
    private final RealTransaction transaction;
    private final boolean last;
    /** The data managers joined when the transaction was aborted, to judge a failure handed in later. */
    private List<DataManager> joinedAtAbort = List.of();
    private boolean committed;
    private boolean retry;

    Attempt(RealTransaction transaction, boolean last) {
        this.transaction = transaction;
        this.last = last;
    }

    /** The transaction of this attempt (Python's {@code with attempt as t}). */
    public Transaction transaction() {
        return transaction;
    }

    /** Whether this is the last attempt: its failures are thrown whether retryable or not. */
    public boolean isLast() {
        return last;
    }

    /**
     * Commits the attempt's transaction. On failure the transaction is aborted; a retryable failure of an
     * attempt that is not the last is dropped, and the loop will hand out another attempt.
     *
     * @return true if committed, false if the commit failed and will be retried
     * @throws RuntimeException the commit's failure (the transaction aborted), if it is not retryable or
     *         this is the last attempt
     * @throws IllegalStateException if the attempt's transaction has already ended
     */
    public boolean commit() {
        try {
            transaction.commit();
        } catch (RuntimeException | Error failure) {
            if (decide(failure)) {
                return false;
            }
            throw failure;
        }
        committed = true;
        return true;
    }

    /**
     * Decides about a failure of the work: aborts the transaction (if {@link #close()} has not already)
     * and returns normally if {@code failure} is retryable and this is not the last attempt, so that the
     * loop goes on; otherwise throws {@code failure} (a checked exception wrapped in a
     * {@link TransactionException}). Retryability is judged by the data managers that were joined when the
     * transaction was aborted, as ZODB judges it before aborting.
     *
     * @throws RuntimeException {@code failure} when it is not to be retried
     */
    public void retryOrThrow(Throwable failure) {
        Objects.requireNonNull(failure, "failure");
        if (!decide(failure)) {
            throw TransactionManager.rethrowable(failure);
        }
    }

    /**
     * Aborts the transaction unless it has ended (committed, or aborted after a failure), remembering the
     * data managers that were joined so that {@link #retryOrThrow} can still ask them.
     */
    @Override
    public void close() {
        if (!transaction.hasEnded()) {
            joinedAtAbort = List.copyOf(transaction.resources());
            transaction.abort();
        }
    }

    /** Aborts after {@code failure} and returns whether the loop should try again. */
    private boolean decide(Throwable failure) {
        boolean retryable = failure instanceof Exception && isRetryable(failure);
        boolean retrying = retryable && !last;
        if (!transaction.hasEnded()) {
            try {
                close();
            } catch (RuntimeException abortFailure) {
                failure.addSuppressed(abortFailure);
            }
        }
        transaction.manager().attemptFailed(transaction, failure, retryable, retrying);
        retry |= retrying;
        return retrying;
    }

    private boolean isRetryable(Throwable failure) {
        if (!transaction.hasEnded()) {
            return transaction.isRetryable(failure);
        }
        if (failure instanceof TransientException) {
            return true;
        }
        for (DataManager dm : joinedAtAbort) {
            if (dm.shouldRetry(failure)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the loop goes on after this attempt: it failed retryably and was not committed. */
    boolean wantsRetry() {
        return retry && !committed;
    }

    @Override
    public String toString() {
        return "Attempt[" + (last ? "last, " : "") + transaction + "]";
    }
}
