package org.jodb.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.PersistentMap;
import org.jodb.PersistentTreeMap;
import org.jodb.postgres.PostgresOptions;
import org.jodb.postgres.PostgresStorage;
import org.jodb.storage.MappedFileStorage;
import org.jodb.storage.StorageOptions;
import org.jodb.transaction.Savepoint;
import org.jodb.transaction.TransactionManager;
import org.jodb.transaction.TransientException;

/**
 * jodb on its memory-mapped file storage with default options, except the durability mode: the
 * accounts are proxies made by {@link Connection#create} in a map under the root, a {@link PersistentMap}
 * ({@code jodb}) or a {@link PersistentTreeMap} ({@code jodb-tree}); changes are plain method calls, found by
 * jodb at commit.
 *
 * <p>Each writer thread has its own {@link TransactionManager} and connection, as the concurrency
 * design asks; conflicts are retried with {@link TransactionManager#run} and its default attempts and pauses
 * (a transfer it gives up on is counted, see {@link Store.GaveUp}).
 */
final class JodbStore implements Store {
    private static final String MAP = "accounts";

    private final String name;
    private final Supplier<Map<String, Account>> newMap;
    /** The PostgreSQL URL of the {@code jodb-postgres} store; null for the file storage. */
    private final String postgresUrl;
    /**
     * Whether a transfer first loads its accounts in one call ({@link Connection#prefetch}), and the read-back
     * all accounts, as plain JDBC reads a transfer's rows in one statement.
     */
    private final boolean prefetch;

    private Database db;
    private TransactionManager manager;
    private Connection conn;
    private Map<String, Account> accounts;

    private JodbStore(String name, Supplier<Map<String, Account>> newMap, String postgresUrl, boolean prefetch) {
        this.name = name;
        this.newMap = newMap;
        this.postgresUrl = postgresUrl;
        this.prefetch = prefetch;
    }

    /**
     * The accounts in a {@link PersistentMap} at the root, on {@link PostgresStorage} at {@code url}, in a schema
     * named after the run's directory (so that the cold read reopens the same one).
     */
    static JodbStore postgres(String url) {
        return new JodbStore("jodb-postgres", PersistentMap::new, url, false);
    }

    /**
     * {@link #postgres} with each transfer's accounts loaded in one round trip before it changes them
     * ({@link Connection#prefetch}), and the read-back's accounts too.
     */
    static JodbStore postgresPrefetching(String url) {
        return new JodbStore("jodb-postgres-prefetch", PersistentMap::new, url, true);
    }

    /** The accounts in a {@link PersistentMap} at the root. */
    static JodbStore persistentMap() {
        return new JodbStore("jodb", PersistentMap::new, null, false);
    }

    /** The accounts in a {@link PersistentTreeMap} at the root. */
    static JodbStore persistentTreeMap() {
        return new JodbStore("jodb-tree", PersistentTreeMap::new, null, false);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String product() {
        return "jodb " + Versions.of("jodb");
    }

    @Override
    public String cannot(Workload workload, Durability mode) {
        return postgresUrl != null && mode != Durability.SYNC
                ? "the server's synchronous_commit decides when a commit is durable: run with --modes sync" : null;
    }

    @Override
    public boolean sharedByProcesses() {
        return postgresUrl != null;
    }

    @Override
    public String describe(Durability mode) {
        if (postgresUrl != null) {
            return "PostgresStorage: one-phase commits of concurrent threads grouped in one database transaction;"
                    + " commit returns after its COMMIT, durable as the server's synchronous_commit says" + (prefetch ? "; each transfer loads its accounts in one round trip first"
                    + " (Connection.prefetch), and the read-back all accounts" : "");
        }
        StorageOptions o = options(mode);
        String map = name.equals("jodb") ? "" : " (accounts in a PersistentTreeMap)";
        return (mode == Durability.SYNC
                ? "Durability.SYNC: commit returns after the fsync (group commit)"
                : "Durability.DEFERRED: fsync within " + o.flushIntervalMillis() + " ms of commit") + map;
    }

    private static StorageOptions options(Durability mode) {
        return StorageOptions.builder()
                .durability(mode == Durability.SYNC
                        ? StorageOptions.Durability.SYNC : StorageOptions.Durability.DEFERRED)
                .build();
    }

    @Override
    @SuppressWarnings("unchecked")
    public void open(Path dir, Durability mode) {
        db = Database.open(postgresUrl != null
                ? PostgresStorage.open(postgresUrl,
                        PostgresOptions.defaults().withSchema(PostgresServerUrl.schemaOf(dir, "")))
                : MappedFileStorage.open(dir, options(mode)));
        manager = new TransactionManager(false);
        conn = db.open(manager);
        Object existing = conn.root().get(MAP);
        if (existing == null) {
            conn.root().put(MAP, newMap.get());
            manager.commit();
            existing = conn.root().get(MAP);
        }
        accounts = (Map<String, Account>) existing;
    }

    @Override
    public void insert(int from, int count) {
        for (int i = from; i < from + count; i++) {
            accounts.put(Keys.key(i), conn.create(Account.class, "owner-" + i, Keys.INITIAL_BALANCE, 0L));
        }
        manager.commit();
    }

    private void transfer(Connection c, Map<String, Account> map, int[] keys) {
        if (prefetch) {
            List<Account> touched = new ArrayList<>(keys.length);
            for (int key : keys) {
                touched.add(map.get(Keys.key(key)));
            }
            c.prefetch(touched);
        }
        for (int k = 0; k + 1 < keys.length; k += 2) {
            map.get(Keys.key(keys[k])).deposit(-1);
            map.get(Keys.key(keys[k + 1])).deposit(1);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public Writer writer() {
        TransactionManager tm = new TransactionManager(false);
        Connection c = db.open(tm);
        return new Writer() {
            @Override
            public int transfer(int[] keys) {
                int[] attempts = {0};
                try {
                    // the default attempts and pauses, as an application would write it
                    tm.run(() -> {
                        attempts[0]++;
                        JodbStore.this.transfer(c, (Map<String, Account>) c.root().get(MAP), keys);
                    });
                } catch (TransientException lastConflict) {
                    throw new GaveUp(attempts[0], lastConflict);
                }
                return attempts[0];
            }

            @Override
            public void close() {
                tm.abort();
                c.close();
            }
        };
    }

    @Override
    public void savepointScenario(int[] first, int[] second) {
        // A transaction boundary: this connection then sees what the writers committed meanwhile.
        manager.begin();
        transfer(conn, accounts, first);
        Savepoint savepoint = manager.savepoint();
        transfer(conn, accounts, second);
        savepoint.rollback();
        manager.commit();
    }

    @Override
    public long[] readAll() {
        manager.begin();
        long[] result = new long[2];
        if (prefetch) {
            conn.prefetch(accounts.values());
        }
        accounts.forEach((key, a) -> {
            result[0]++;
            result[1] += a.getBalance();
        });
        manager.abort();
        return result;
    }

    @Override
    public void close() {
        if (db != null) {
            manager.abort();
            conn.close();
            db.close();
            db = null;
            accounts = null;
        }
    }
}
