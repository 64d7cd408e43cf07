package org.jodb.transaction;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The loop of {@link TransactionManager#attempts(int)}: hands out the first attempt, and another one only
 * while the previous one failed retryably (ZODB's {@code attempts} generator, which stops at the first
 * attempt that committed). Each {@link #next()} begins the attempt's transaction, a retry after the
 * manager's pause ({@link TransactionManager#setRetryBackoff}).
 */
final class Attempts implements Iterator<Attempt> {
    private final TransactionManager manager;
    private final int attempts;
    /** How many attempts were handed out. */
    private int made;
    private Attempt previous;

    Attempts(TransactionManager manager, int attempts) {
        this.manager = manager;
        this.attempts = attempts;
    }

    @Override
    public boolean hasNext() {
        return made < attempts && (previous == null || previous.wantsRetry());
    }

    @Override
    public Attempt next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no attempt left: the last one "
                    + (made == attempts ? "was the last allowed" : "did not fail retryably"));
        }
        made++;
        previous = manager.beginAttempt(made, made == attempts);
        return previous;
    }
}
