package org.jodb.transaction;

import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The calling thread's transactions: static shortcuts to {@link TransactionManager#threadLocal()}, like
 * ZODB's {@code transaction.get()}, {@code transaction.commit()} and so on. Each thread has its own
 * manager, in implicit mode unless switched with {@code Transactions.manager().setExplicit(true)}.
 */
public final class Transactions {
    private Transactions() {
    }

    /** The calling thread's manager. */
    public static TransactionManager manager() {
        return TransactionManager.threadLocal();
    }

    /** See {@link TransactionManager#get()}. */
    public static Transaction get() {
        return manager().get();
    }

    /** See {@link TransactionManager#current()}. */
    public static Optional<Transaction> current() {
        return manager().current();
    }

    /** See {@link TransactionManager#begin()}. */
    public static Transaction begin() {
        return manager().begin();
    }

    /** See {@link TransactionManager#commit()}. */
    public static void commit() {
        manager().commit();
    }

    /** See {@link TransactionManager#abort()}. */
    public static void abort() {
        manager().abort();
    }

    /** See {@link TransactionManager#savepoint()}. */
    public static Savepoint savepoint() {
        return manager().savepoint();
    }

    /** See {@link TransactionManager#savepoint(boolean)}. */
    public static Savepoint savepoint(boolean optimistic) {
        return manager().savepoint(optimistic);
    }

    /** Whether the calling thread has a transaction in progress: Sage X3's {@code adxlog}. */
    public static boolean isActive() {
        return manager().isActive();
    }

    /** See {@link TransactionManager#doom()}. */
    public static void doom() {
        manager().doom();
    }

    /** See {@link TransactionManager#isDoomed()}. */
    public static boolean isDoomed() {
        return manager().isDoomed();
    }

    /** See {@link TransactionManager#run(int, Callable)}. */
    public static <T> T run(int attempts, Callable<T> work) {
        return manager().run(attempts, work);
    }

    /** See {@link TransactionManager#run(int, Runnable)}. */
    public static void run(int attempts, Runnable work) {
        manager().run(attempts, work);
    }

    /** See {@link TransactionManager#run(Callable)}. */
    public static <T> T run(Callable<T> work) {
        return manager().run(work);
    }

    /** See {@link TransactionManager#run(Runnable)}. */
    public static void run(Runnable work) {
        manager().run(work);
    }

    /** See {@link TransactionManager#attempts(int)}. */
    public static Iterable<Attempt> attempts(int attempts) {
        return manager().attempts(attempts);
    }

    /** See {@link TransactionManager#attempts()}. */
    public static Iterable<Attempt> attempts() {
        return manager().attempts();
    }
}
