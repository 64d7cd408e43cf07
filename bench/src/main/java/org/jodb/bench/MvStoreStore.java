package org.jodb.bench;

import java.nio.file.Path;
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
 */
final class MvStoreStore implements Store {
    private static final String MAP = "accounts";

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
            String from = Keys.key(keys[k]);
            String to = Keys.key(keys[k + 1]);
            // lock() reads the newest committed value and holds the row, as H2's UPDATE does; a
            // plain get() would read this transaction's snapshot and lose concurrent updates.
            Account a = map.lock(from).copy();
            a.deposit(-1);
            map.put(from, a);
            Account b = map.lock(to).copy();
            b.deposit(1);
            map.put(to, b);
        }
    }

    @Override
    public Writer writer() {
        return new Writer() {
            @Override
            public int transfer(int[] keys) {
                for (int attempt = 1; ; attempt++) {
                    Transaction tx = transactions.begin();
                    // H2's SQL default lock timeout: wait for a row another transaction holds
                    // instead of failing at once.
                    tx.setTimeoutMillis(1000);
                    try {
                        MvStoreStore.transfer(map(tx), keys);
                        commit(tx);
                        return attempt;
                    } catch (MVStoreException e) {
                        // Another open transaction holds one of these rows (lock timeout): MVStore's
                        // write conflict.
                        tx.rollback();
                        if (attempt >= 1000) {
                            throw e;
                        }
                        Thread.onSpinWait();
                    }
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
        transfer(map, first);
        long savepoint = tx.setSavepoint();
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
