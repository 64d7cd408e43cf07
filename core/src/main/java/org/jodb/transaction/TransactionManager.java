package org.jodb.transaction;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * Decides which transaction is current and where transactions begin and end. The Java rendering of ZODB's
 * {@code ITransactionManager}. Each thread has its own by default ({@link #threadLocal()}, which
 * {@link Transactions} uses); a manager can also be created and handed to a {@code Connection} explicitly.
 *
 * <h2>Modes</h2>
 * <ul>
 *   <li><b>Implicit</b> ({@code new TransactionManager(false)}, and {@link #threadLocal()}): there is
 *       always a transaction. {@link #get()} starts one when none is active and returns the same one until
 *       it commits or aborts; {@link #begin()} aborts the active one, if any, and starts a new one. This is
 *       ZODB's default.</li>
 *   <li><b>Explicit</b> ({@code new TransactionManager(true)}): Sage X3's model, one level of transaction
 *       between {@code Trbegin} and {@code Commit}/{@code Rollback}. {@link #begin()} while a transaction is
 *       active throws {@link AlreadyInTransactionException} (X3 error 32); {@link #get()}, {@link #commit()},
 *       {@link #abort()}, {@link #savepoint()}, {@link #doom()} and {@link #isDoomed()} with none begun
 *       throw {@link NoTransactionException} (X3 error 48). {@link #isActive()} is X3's {@code adxlog}: a
 *       routine that may run inside a caller's transaction begins and ends one only when it was false.</li>
 * </ul>
 * In both modes the transaction stays current after a failed commit (status
 * {@link TransactionStatus#COMMIT_FAILED}) until it is aborted.
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * tm.begin(); ...; tm.commit();                          // ZODB style; abort() on failure
 * try (Transaction tx = tm.begin()) { ...; tx.commit(); } // aborts unless committed
 * int n = tm.run(3, () -> { ...; return count; });       // retries TransientException, e.g. conflicts
 * for (Attempt attempt : tm.attempts(3)) {                // the same, as a loop (see Attempt)
 *     try (attempt) { ...; attempt.commit(); }
 * }
 * }</pre>
 *
 * <h2>Synchronizers</h2>
 * {@link #registerSynchronizer} keeps a {@link Synchronizer} weakly and tells it of every transaction begun
 * explicitly and of the completion of every transaction of this manager.
 *
 * <h2>Threads</h2>
 * A manager serves one thread at a time, {@link #thread()}: the last thread that started a transaction on
 * it (a {@link #threadLocal()} manager, reached only through its thread, serves that thread). Its transaction belongs to the thread that
 * started it, and {@link #get()} and the methods that use the current transaction throw
 * {@link IllegalStateException} when called from another thread while that transaction is active. Between
 * transactions a manager may move to another thread: the thread that starts the next transaction
 * ({@link #begin()}, {@link #get()}, {@link #run}, {@link #attempts}) takes it over. Connections opened
 * with the manager, and their objects, refuse calls from any thread but {@link #thread()}. It is not safe
 * for concurrent use.
 */
public class TransactionManager {
    private static final System.Logger LOG = System.getLogger(TransactionManager.class.getName());

    private static final ThreadLocal<TransactionManager> THREAD_LOCAL = ThreadLocal.withInitial(() -> {
        TransactionManager manager = new TransactionManager(false);
        manager.thread = Thread.currentThread();
        return manager;
    });

    private boolean explicit;
    /**
     * The thread this manager serves (see {@link #thread()}); null until a transaction is started. Volatile:
     * objects of the manager's connections read it on whatever thread calls them, to refuse the wrong one.
     */
    private volatile Thread thread;

    /**
     * How many attempts {@link #run(Callable)} and {@link #attempts()} make unless set
     * ({@link #setDefaultAttempts}): 10, where ZODB makes 3 at once. With the pauses between them, 4 threads
     * on one hot counter (transactions of 0.1 ms) gave up on 0-2 of 1,000 increments, against 247-296 with 3
     * attempts retried at once and 71-76 with 10 retried at once (HotCounterRetryTest; DEVIATIONS.md). The
     * pauses before a give-up add up to at most 0.43 s with the default backoff.
     */
    public static final int DEFAULT_ATTEMPTS = 10;
    /** The longest pause before the first retry, unless set ({@link #setRetryBackoff}). */
    public static final Duration DEFAULT_BACKOFF_FIRST = Duration.ofMillis(2);
    /** The longest pause before any retry, unless set ({@link #setRetryBackoff}). */
    public static final Duration DEFAULT_BACKOFF_MAX = Duration.ofMillis(100);
    /** The current transaction; null when none is active (after commit or abort, or in explicit mode). */
    private RealTransaction current;
    private final Synchronizers synchronizers = new Synchronizers();
    /** How many attempts {@link #run(Callable)} and {@link #attempts()} make, unless set. */
    private int defaultAttempts = DEFAULT_ATTEMPTS;
    /** The pause before a retry of {@link #run} and {@link #attempts}. */
    private Backoff backoff = new Backoff(DEFAULT_BACKOFF_FIRST, DEFAULT_BACKOFF_MAX);

    /** An implicit-mode manager. */
    public TransactionManager() {
        this(false);
    }

    /** A manager in explicit mode if {@code explicit} is true, otherwise in implicit mode. */
    public TransactionManager(boolean explicit) {
        this.explicit = explicit;
    }

    /**
     * The calling thread's manager, created in implicit mode on first use; {@link Transactions} and
     * connections opened without a manager use it. Switch it to explicit mode with {@link #setExplicit}.
     */
    public static TransactionManager threadLocal() {
        return THREAD_LOCAL.get();
    }

    /** Whether this manager is in explicit mode ({@link #begin()} required before a transaction). */
    public boolean isExplicit() {
        return explicit;
    }

    /** Switches the mode; takes effect at the next {@code begin()} or {@code get()}. */
    public void setExplicit(boolean explicit) {
        this.explicit = explicit;
    }

    /**
     * Begins a new transaction and makes it current, then calls {@link Synchronizer#newTransaction} of every
     * registered synchronizer. In implicit mode an active transaction is aborted first.
     *
     * @throws AlreadyInTransactionException in explicit mode, if a transaction is active (X3 error 32)
     * @throws IllegalStateException in implicit mode, if the active transaction belongs to another thread
     * @throws RuntimeException whatever aborting the previous transaction, or a synchronizer, threw
     */
    public Transaction begin() {
        if (current != null) {
            if (explicit) {
                throw new AlreadyInTransactionException("a transaction is already in progress (X3 error 32);"
                        + " commit or abort it before begin(), or test isActive() and leave it to its owner");
            }
            current.abort();
        }
        thread = Thread.currentThread();
        RealTransaction txn = new RealTransaction(this);
        current = txn;
        for (Synchronizer s : synchronizers.live()) {
            s.newTransaction(txn);
        }
        return txn;
    }

    /**
     * The current transaction. In implicit mode one is started when none is active (synchronizers are not
     * told: only {@code begin()} calls {@code newTransaction}).
     *
     * @throws NoTransactionException in explicit mode, if no transaction was begun (X3 error 48)
     * @throws IllegalStateException if the current transaction belongs to another thread
     */
    public Transaction get() {
        if (current == null) {
            if (explicit) {
                throw new NoTransactionException("no transaction in progress (X3 error 48): call begin()"
                        + " first");
            }
            thread = Thread.currentThread();
            current = new RealTransaction(this);
        }
        current.checkOwner();
        return current;
    }

    /**
     * The current transaction if one is active, without starting one in implicit mode. For data managers
     * that must not create a transaction just by looking.
     *
     * @throws IllegalStateException if the current transaction belongs to another thread
     */
    public Optional<Transaction> current() {
        if (current == null) {
            return Optional.empty();
        }
        current.checkOwner();
        return Optional.of(current);
    }

    /**
     * The thread this manager serves: the last thread that started a transaction on it; before the first,
     * the thread a {@link #threadLocal()} manager was made for, or null for one made with {@code new}
     * (which then serves any thread). The connections of this manager and their objects refuse calls from other threads
     * (see {@code Connection}). Never starts a transaction; may be asked from any thread.
     */
    public Thread thread() {
        return thread;
    }

    /**
     * Whether a transaction is in progress: begun (or, in implicit mode, started by {@code get()}) and not
     * yet committed or aborted. A transaction whose commit failed is still in progress until aborted.
     * Sage X3's {@code adxlog}. Never starts a transaction.
     */
    public boolean isActive() {
        return current != null;
    }

    /**
     * Commits the current transaction; see {@link Transaction#commit()}.
     *
     * @throws NoTransactionException in explicit mode, if no transaction was begun (X3 error 48)
     * @throws DoomedTransactionException if it is doomed
     * @throws TransactionFailedException if an earlier operation of it failed; abort it
     */
    public void commit() {
        get().commit();
    }

    /**
     * Aborts the current transaction; see {@link Transaction#abort()}.
     *
     * @throws NoTransactionException in explicit mode, if no transaction was begun (X3 error 48)
     */
    public void abort() {
        get().abort();
    }

    /**
     * A savepoint of the current transaction; see {@link Transaction#savepoint(boolean)}.
     *
     * @throws NoTransactionException in explicit mode, if no transaction was begun (X3 error 48)
     * @throws SavepointsUnsupportedException if a joined data manager cannot take savepoints
     */
    public Savepoint savepoint() {
        return get().savepoint(false);
    }

    /**
     * A savepoint of the current transaction, optimistic if asked; see {@link Transaction#savepoint(boolean)}.
     *
     * @throws NoTransactionException in explicit mode, if no transaction was begun (X3 error 48)
     */
    public Savepoint savepoint(boolean optimistic) {
        return get().savepoint(optimistic);
    }

    /**
     * Dooms the current transaction; see {@link Transaction#doom()}.
     *
     * @throws NoTransactionException in explicit mode, if no transaction was begun (X3 error 48)
     */
    public void doom() {
        get().doom();
    }

    /**
     * Whether the current transaction is doomed.
     *
     * @throws NoTransactionException in explicit mode, if no transaction was begun (X3 error 48)
     */
    public boolean isDoomed() {
        return get().isDoomed();
    }

    /** How many attempts {@link #run(Callable)}, {@link #run(Runnable)} and {@link #attempts()} make. */
    public int defaultAttempts() {
        return defaultAttempts;
    }

    /**
     * Sets how many attempts {@link #run(Callable)}, {@link #run(Runnable)} and {@link #attempts()} make;
     * {@link #DEFAULT_ATTEMPTS} (10) unless set; ZODB makes 3.
     *
     * @throws IllegalArgumentException if {@code attempts < 1}
     */
    public void setDefaultAttempts(int attempts) {
        this.defaultAttempts = requirePositive(attempts);
    }

    /**
     * Sets the pause before a retry of {@link #run} and {@link #attempts}: before attempt {@code n} (2 or
     * later) a random pause between 0 and {@code first · 2^(n-2)}, never more than {@code max}; unless set,
     * {@link #DEFAULT_BACKOFF_FIRST} and {@link #DEFAULT_BACKOFF_MAX}. {@code Duration.ZERO} for both retries
     * at once, as ZODB does. Why pause: a conflict means others committed the same objects meanwhile, and a
     * retry at once tends to meet them again; the random part keeps threads that collided from retrying in
     * step. An interrupt cuts a pause short (the flag stays set).
     *
     * @throws IllegalArgumentException unless {@code 0 <= first <= max}
     */
    public void setRetryBackoff(Duration first, Duration max) {
        this.backoff = new Backoff(first, max);
    }

    /** For tests: a backoff that records or skips its pauses. */
    void setBackoff(Backoff backoff) {
        this.backoff = Objects.requireNonNull(backoff, "backoff");
    }

    /**
     * Runs {@code work} in a transaction of its own and commits it, retrying in a new transaction when the
     * failure {@linkplain Transaction#isRetryable is retryable} (a {@link TransientException} such as a
     * conflict, or a data manager says so) and attempts remain, after a short random pause that grows with
     * each retry ({@link #setRetryBackoff}). Each attempt: {@code begin()}, a note naming
     * the work, {@code work}, {@code commit()}; on any failure the transaction is aborted (after asking
     * whether to retry). The failure of the last attempt, or a non-retryable one, is thrown as it was; a
     * checked exception of {@code work} is thrown wrapped in a {@link TransactionException}. {@code work}
     * must not end the transaction itself.
     *
     * <p>The note: ZODB notes the function's name and docstring. Java lambdas and method references have
     * neither, so only work of a named class ({@code class MonthlyInterest implements Callable<...>}) is
     * noted, by the class's simple name.
     *
     * @param attempts how many times to try at most, at least 1
     * @return what {@code work} returned in the attempt that committed
     * @throws IllegalArgumentException if {@code attempts < 1}
     * @throws AlreadyInTransactionException in explicit mode, if a transaction is already active (in
     *         implicit mode it is aborted, as by {@code begin()})
     */
    public <T> T run(int attempts, Callable<T> work) {
        Objects.requireNonNull(work, "work");
        return run(attempts, work, work);
    }

    /**
     * Like {@link #run(int, Callable)} for work that returns nothing.
     *
     * @throws IllegalArgumentException if {@code attempts < 1}
     */
    public void run(int attempts, Runnable work) {
        Objects.requireNonNull(work, "work");
        run(attempts, work, () -> {
            work.run();
            return null;
        });
    }

    /**
     * {@link #run(int, Callable)} with the {@linkplain #defaultAttempts() default number of attempts}: the
     * Java form of ZODB's decorator {@code @transaction.manager.run}.
     */
    public <T> T run(Callable<T> work) {
        return run(defaultAttempts, work);
    }

    /** {@link #run(int, Runnable)} with the {@linkplain #defaultAttempts() default number of attempts}. */
    public void run(Runnable work) {
        run(defaultAttempts, work);
    }

    private <T> T run(int attempts, Object named, Callable<T> work) {
        requirePositive(attempts);
        String note = noteFor(named);
        for (int attempt = 1; ; attempt++) {
            if (attempt > 1) {
                backoff.pause(attempt);
            }
            Transaction txn = begin();
            txn.note(note);
            try {
                T result = work.call();
                commit();
                return result;
            } catch (Throwable failure) {
                // Ask before aborting: abort forgets the data managers that could say "retry".
                boolean retryable = failure instanceof Exception && txn.isRetryable(failure);
                boolean retry = retryable && attempt < attempts;
                try {
                    if (current != null) {
                        current.abort();
                    }
                } catch (RuntimeException abortFailure) {
                    failure.addSuppressed(abortFailure);
                }
                attemptFailed(txn, failure, retryable, retry);
                if (!retry) {
                    throw rethrowable(failure);
                }
            }
        }
    }

    /** The simple name of a named class; null for lambdas, method references and anonymous classes. */
    private static String noteFor(Object work) {
        Class<?> type = work.getClass();
        if (type.isSynthetic() || type.isHidden() || type.isAnonymousClass()) {
            return null;
        }
        return type.getSimpleName();
    }

    /**
     * The attempts of a piece of work, each in a transaction of its own, as a loop: the Java rendering of
     * ZODB's {@code for attempt in tm.attempts(n): with attempt: ...}. Each step of the loop begins a
     * transaction and hands out an {@link Attempt}; the loop goes on only after an attempt failed with a
     * retryable error (a {@link TransientException}, or one a joined data manager's
     * {@link DataManager#shouldRetry} accepts) and at most {@code attempts} times, each retry after the pause
     * of {@link #setRetryBackoff}; the last attempt throws whatever fails it. See {@link Attempt} for the loop body.
     *
     * <p>Iterating begins transactions, so each iteration of the returned {@code Iterable} is a new run.
     *
     * @throws IllegalArgumentException if {@code attempts < 1}
     */
    public Iterable<Attempt> attempts(int attempts) {
        requirePositive(attempts);
        return () -> new Attempts(this, attempts);
    }

    /** {@link #attempts(int)} with the {@linkplain #defaultAttempts() default number of attempts}. */
    public Iterable<Attempt> attempts() {
        return attempts(defaultAttempts);
    }

    /** Begins the transaction of attempt {@code number}, after the pause before a retry. */
    Attempt beginAttempt(int number, boolean last) {
        if (number > 1) {
            backoff.pause(number);
        }
        begin();
        return new Attempt(current, last);
    }

    /** Tells the synchronizers that an attempt failed ({@link Synchronizer#attemptFailed}); never throws. */
    void attemptFailed(Transaction txn, Throwable failure, boolean retryable, boolean retrying) {
        for (Synchronizer s : synchronizers.live()) {
            try {
                s.attemptFailed(txn, failure, retryable, retrying);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "synchronizer " + s + " failed in attemptFailed; ignored", e);
            }
        }
    }

    private static int requirePositive(int attempts) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts < 1: " + attempts);
        }
        return attempts;
    }

    /** {@code failure} as something to throw: itself if unchecked, else wrapped; an Error is thrown here. */
    static RuntimeException rethrowable(Throwable failure) {
        if (failure instanceof RuntimeException) {
            return (RuntimeException) failure;
        }
        if (failure instanceof Error) {
            throw (Error) failure;
        }
        return new TransactionException("the work threw checked exception " + failure
                + "; its transaction was aborted", failure);
    }

    /**
     * Registers {@code synchronizer}, held weakly, once (by identity); if a transaction is active, calls its
     * {@link Synchronizer#newTransaction} right away.
     */
    public void registerSynchronizer(Synchronizer synchronizer) {
        Objects.requireNonNull(synchronizer, "synchronizer");
        synchronizers.add(synchronizer);
        if (current != null) {
            synchronizer.newTransaction(current);
        }
    }

    /** Forgets {@code synchronizer}; does nothing if it was not registered. */
    public void unregisterSynchronizer(Synchronizer synchronizer) {
        synchronizers.remove(synchronizer);
    }

    Synchronizers synchronizers() {
        return synchronizers;
    }

    /** Called by a transaction as it ends: the next {@code get()} gives a new one (an ended transaction is never handed out again). */
    void free(RealTransaction txn) {
        if (txn != current) {
            throw new IllegalStateException("foreign transaction: " + txn
                    + " is not the current transaction of this manager");
        }
        current = null;
    }

    @Override
    public String toString() {
        return "TransactionManager[" + (explicit ? "explicit" : "implicit") + ", "
                + (current == null ? "no transaction" : current) + "]";
    }
}
