package org.jodb.bench;

import java.nio.file.Path;

/**
 * One store under test, driven through the same operations as every other. Account {@code i} is
 * stored under the key {@code "acct-" + i} in one map under the store's root.
 *
 * <p>Life cycle per run: {@link #open} on an empty directory, {@link #insert} batches, writers,
 * {@link #savepointScenario}, then {@link #close} and {@link #open} again for the cold read. An
 * adapter is used by one thread, except {@link #writer()}, which may be called from several threads
 * when {@link #cannot} allows {@link Workload#CONCURRENT}.
 */
interface Store {

    /** The short name used on the command line and in the tables. */
    String name();

    /** The product and version measured, e.g. {@code "H2 MVStore 2.5.252"}. */
    String product();

    /**
     * Why this store cannot run {@code workload} in {@code mode}, or {@code null} when it can. The
     * reason is printed in the table in place of a figure.
     */
    String cannot(Workload workload, Durability mode);

    /**
     * Whether several processes may open this store at once ({@link Workload#TWO_JVMS}): a child JVM then
     * reaches the same data through {@link #open} on the same directory.
     */
    default boolean sharedByProcesses() {
        return false;
    }

    /** What {@code mode} means for this store, for the notes under the table. */
    String describe(Durability mode);

    /** Opens (creating when empty) the store in {@code dir}. */
    void open(Path dir, Durability mode);

    /** Inserts accounts {@code from .. from + count - 1} in one committed transaction. */
    void insert(int from, int count);

    /** A writer for the calling thread; close it on that thread. */
    Writer writer();

    /**
     * One transaction: transfers between the pairs of {@code first}, a savepoint, transfers between
     * the pairs of {@code second}, rollback to the savepoint, commit. Afterwards only {@code first}'s
     * transfers are visible.
     */
    void savepointScenario(int[] first, int[] second);

    /**
     * Reads every account through the store's map (values iteration) and returns the number of
     * accounts and the sum of their balances.
     */
    long[] readAll();

    /** Closes the store; the files stay. */
    void close();

    /**
     * A transfer the store gave up on after {@code attempts} attempts, each failed by a conflict (jodb's
     * {@code TransactionManager.run} with its default attempts): nothing of it committed. Counted and
     * reported, not a failure of the run.
     */
    final class GaveUp extends RuntimeException {
        final int attempts;

        GaveUp(int attempts, Throwable lastConflict) {
            super("gave up after " + attempts + " attempts", lastConflict);
            this.attempts = attempts;
        }
    }

    /** One thread's access to a store for transfer transactions. */
    interface Writer extends AutoCloseable {
        /**
         * One committed transaction moving 1 from {@code keys[2k]} to {@code keys[2k + 1]} for each
         * pair, retried on conflicts.
         *
         * @return the number of attempts (1 when there was no conflict)
         * @throws GaveUp when the store stopped retrying conflicts: nothing of the transfer committed
         */
        int transfer(int[] keys);

        @Override
        void close();
    }
}
