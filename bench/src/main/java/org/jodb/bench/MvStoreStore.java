package org.jodb.bench;

import java.nio.file.Path;
import java.util.Arrays;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.h2.mvstore.tx.Transaction;
import org.h2.mvstore.tx.TransactionMap;
import org.h2.mvstore.tx.TransactionStore;
import org.h2.mvstore.type.StringDataType;

/**
 * H2's MVStore with its {@link TransactionStore} (MVCC transactions with savepoints, the engine
 * under the H2 database). Values are stored with {@link MvStoreAccountType}, a dedicated serializer.
 *
 * <p>Durability: {@code SYNC} disables auto-commit and calls {@code MVStore.commit()} and
 * {@code sync()} (an fsync) after every transaction commit; {@code DEFERRED} is MVStore's default:
 * a background thread writes committed changes about once a second (autoCommitDelay 1000 ms) and the
 * file is forced only at close.
 *
 * <p>Concurrent transfers lock their rows in ascending key order before changing any, so that
 * writers queue on row locks and never deadlock. This is not only the usual application practice:
 * H2 2.5.252 can lose a committed update when a transaction that others wait on rolls back (see
 * {@link #lockInOrder}), and a deadlock victim is exactly such a transaction.
 */
final class MvStoreStore implements Store {
    private static final String MAP = "accounts";
    private static final int LOCK_TIMEOUT_MILLIS = 10_000;

    private MVStore store;
    private TransactionStore transactions;
    private Durability mode;

    @Override
    public String name() {
        return "mvstore";
    }

    @Override
    public String product() {
        return "H2 MVStore " + Versions.of("h2");
    }

    @Override
    public String cannot(Workload workload, Durability mode) {
        return null;
    }

    @Override
    public String describe(Durability mode) {
        return mode == Durability.SYNC
                ? "autoCommitDisabled; MVStore.commit() + sync() after each transaction"
                : "default: background write every ~1 s, fsync only at close";
    }

    @Override
    public void open(Path dir, Durability mode) {
        this.mode = mode;
        MVStore.Builder b = new MVStore.Builder().fileName(dir.resolve("accounts.mv.db").toString());
        if (mode == Durability.SYNC) {
            b.autoCommitDisabled();
        }
        store = b.open();
        transactions = new TransactionStore(store);
        transactions.init();
    }

    private TransactionMap<String, Account> map(Transaction tx) {
        return tx.openMap(MAP, StringDataType.INSTANCE, MvStoreAccountType.INSTANCE);
    }

    private void commit(Transaction tx) {
        tx.commit();
        if (mode == Durability.SYNC) {
            store.commit();
            store.sync();
        }
    }

    @Override
    public void insert(int from, int count) {
        Transaction tx = transactions.begin();
        TransactionMap<String, Account> map = map(tx);
        for (int i = from; i < from + count; i++) {
            map.put(Keys.key(i), Keys.newAccount(i));
        }
        commit(tx);
    }

    private static void transfer(TransactionMap<String, Account> map, int[] keys) {
        for (int k = 0; k + 1 < keys.length; k += 2) {
            // Each side is H2's UPDATE on a row this transaction has locked: read it (get sees this
            // transaction's own uncommitted value, so a self-transfer nets to zero) and write a copy.
            deposit(map, Keys.key(keys[k]), -1);
            deposit(map, Keys.key(keys[k + 1]), 1);
        }
    }

    private static void deposit(TransactionMap<String, Account> map, String key, long amount) {
        Account a = map.get(key).copy();
        a.deposit(amount);
        map.put(key, a);
    }

    /**
     * Locks the rows of {@code keys} in ascending order ({@code SELECT ... FOR UPDATE ORDER BY id}).
     * {@code TransactionMap.lock} returns the newest committed value and holds the row until this
     * transaction ends; with one global order, a waiter only waits for transactions that already
     * hold all the rows they still need, so no deadlock and no deadlock victim.
     *
     * <p>Why a victim must be avoided: in H2 2.5.252 {@code Transaction.rollback} restores each row
     * from inside {@code RollbackDecisionMaker.decide}, which {@code MVMap.operate} on the undo log
     * runs again when that map's root changed meanwhile (any {@code MVStore.commit} bumps every
     * root's version). A transaction that waited on the row resumes as soon as the status is
     * ROLLED_BACK, locks and rewrites the restored row, and the second run of {@code decide}
     * overwrites that write with the old value: one update lost, an off-by-one total.
     */
    private static void lockInOrder(TransactionMap<String, Account> map, int[] keys) {
        // Only keys in a pair change (an odd last key is not part of the transfer).
        int[] sorted = Arrays.copyOf(keys, keys.length & ~1);
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || sorted[i] != sorted[i - 1]) {
                map.lock(Keys.key(sorted[i]));
            }
        }
    }

    @Override
    public Writer writer() {
        return new Writer() {
            @Override
            public int transfer(int[] keys) {
                for (int attempt = 1; ; attempt++) {
                    Transaction tx = transactions.begin();
                    // Ordered locks cannot deadlock, so a wait ends when the holder commits; a
                    // timeout means a stalled holder (a slow fsync), not a conflict to retry fast.
                    // H2's SQL default is 1 s; longer here because every rollback of a row others
                    // wait on risks H2's lost update (lockInOrder).
                    tx.setTimeoutMillis(LOCK_TIMEOUT_MILLIS);
                    try {
                        TransactionMap<String, Account> map = map(tx);
                        lockInOrder(map, keys);
                        MvStoreStore.transfer(map, keys);
                    } catch (MVStoreException e) {
                        // Lock timeout: nothing is committed yet, so undo and try again.
                        tx.rollback();
                        if (attempt >= 100) {
                            throw e;
                        }
                        continue;
                    }
                    // Outside the retry: a failure from here on may come after the transaction
                    // committed, and retrying it would apply the transfer twice.
                    commit(tx);
                    return attempt;
                }
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public void savepointScenario(int[] first, int[] second) {
        Transaction tx = transactions.begin();
        TransactionMap<String, Account> map = map(tx);
        lockInOrder(map, first);
        transfer(map, first);
        long savepoint = tx.setSavepoint();
        lockInOrder(map, second);
        transfer(map, second);
        tx.rollbackToSavepoint(savepoint);
        commit(tx);
    }

    @Override
    public long[] readAll() {
        Transaction tx = transactions.begin();
        long count = 0;
        long sum = 0;
        for (Account a : map(tx).values()) {
            count++;
            sum += a.getBalance();
        }
        tx.commit();
        return new long[] {count, sum};
    }

    @Override
    public void close() {
        if (store != null) {
            transactions.close();
            store.close();
            store = null;
        }
    }
}
