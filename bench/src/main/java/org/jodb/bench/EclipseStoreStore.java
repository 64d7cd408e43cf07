package org.jodb.bench;

import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.serializer.persistence.types.Storer;
import org.eclipse.store.storage.embedded.types.EmbeddedStorage;
import org.eclipse.store.storage.embedded.types.EmbeddedStorageManager;

/**
 * EclipseStore (formerly MicroStream) with its default embedded configuration: the root is a
 * {@code HashMap<String, Account>}, changed objects are stored explicitly with a {@link Storer} and
 * committed together, as its documentation shows.
 *
 * <p>What it cannot do, and why the table says so:
 * <ul>
 *   <li>fsync per commit: its write path never calls {@code FileChannel.force} (checked in the
 *       2.1.3 jars: only an unused helper does), so a commit reaches the OS page cache and the OS
 *       writes it back later. Its only mode is therefore listed as deferred.</li>
 *   <li>savepoints and rollback: it has no transactions; a store either happens or not, and
 *       in-memory changes are never rolled back.</li>
 *   <li>concurrent transactions: it gives no isolation; the application must lock the object graph
 *       itself, so 8 threads would only serialize on that lock.</li>
 * </ul>
 */
final class EclipseStoreStore implements Store {
    private EmbeddedStorageManager storage;
    private Map<String, Account> accounts;

    @Override
    public String name() {
        return "eclipsestore";
    }

    @Override
    public String product() {
        return "EclipseStore " + Versions.of("eclipsestore");
    }

    @Override
    public String cannot(Workload workload, Durability mode) {
        if (mode == Durability.SYNC) {
            return "never fsyncs";
        }
        if (workload == Workload.SAVEPOINT) {
            return "no transactions/rollback";
        }
        if (workload == Workload.CONCURRENT) {
            return "no isolation (app must lock)";
        }
        return null;
    }

    @Override
    public String describe(Durability mode) {
        return mode == Durability.SYNC
                ? "not available: no fsync in its write path"
                : "its only mode: commit writes to the OS page cache, never forced";
    }

    @Override
    @SuppressWarnings("unchecked")
    public void open(Path dir, Durability mode) {
        storage = EmbeddedStorage.start(dir);
        if (storage.root() == null) {
            storage.setRoot(new HashMap<String, Account>());
            storage.storeRoot();
        }
        accounts = (Map<String, Account>) storage.root();
    }

    @Override
    public void insert(int from, int count) {
        for (int i = from; i < from + count; i++) {
            accounts.put(Keys.key(i), Keys.newAccount(i));
        }
        // Stores the map and the accounts it references that are not yet stored.
        storage.store(accounts);
    }

    @Override
    public Writer writer() {
        return new Writer() {
            @Override
            public int transfer(int[] keys) {
                // Change first, store after: a storer serializes an object when it is first handed
                // to it, so an account changed again later in the same transaction must not be
                // stored before its last change.
                Set<Account> changed = Collections.newSetFromMap(new IdentityHashMap<>());
                for (int k = 0; k + 1 < keys.length; k += 2) {
                    Account from = accounts.get(Keys.key(keys[k]));
                    Account to = accounts.get(Keys.key(keys[k + 1]));
                    from.deposit(-1);
                    to.deposit(1);
                    changed.add(from);
                    changed.add(to);
                }
                Storer storer = storage.createStorer();
                storer.storeAll(changed);
                storer.commit();
                return 1;
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public void savepointScenario(int[] first, int[] second) {
        throw new UnsupportedOperationException(cannot(Workload.SAVEPOINT, Durability.DEFERRED));
    }

    @Override
    public long[] readAll() {
        long count = 0;
        long sum = 0;
        for (Account a : accounts.values()) {
            count++;
            sum += a.getBalance();
        }
        return new long[] {count, sum};
    }

    @Override
    public void close() {
        if (storage != null) {
            storage.shutdown();
            storage = null;
            accounts = null;
        }
    }
}
