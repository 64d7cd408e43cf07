package org.jodb.internal.object;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.Persistence;
import org.jodb.PersistentMap;
import org.jodb.spi.ForwardingStorage;
import org.jodb.spi.MemoryStorage;
import org.jodb.spi.Revision;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The connections of one database share the records they load and commit: a record one of them committed or
 * loaded is not loaded from the storage again by another, and each still reads its own snapshot.
 */
class SharedRecordsDatabaseTest {
    private final CountingStorage storage = new CountingStorage();
    private Database db;

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void aRecordOneConnectionCommittedIsNotLoadedFromTheStorageByAnother() {
        db = Database.open(storage);
        TransactionManager tm1 = new TransactionManager(false);
        TransactionManager tm2 = new TransactionManager(false);
        Connection c1 = db.open(tm1);
        Connection c2 = db.open(tm2);
        PersistentMap<String, Object> account = new PersistentMap<>();
        account.put("balance", 100L);
        c1.root().put("account", account);
        tm1.commit();
        long oid = Persistence.oid(account).getAsLong();
        tm2.begin();
        assertEquals(100L, map(c2.root().get("account")).get("balance"));
        assertEquals(0, storage.loads(oid), "c1's commit left the record for c2");
        tm2.abort();

        account.put("balance", 90L);
        tm1.commit();
        tm2.begin();
        assertEquals(90L, map(c2.root().get("account")).get("balance"), "c2's copy was invalidated, reloaded");
        assertEquals(0, storage.loads(oid));
        tm2.abort();
    }

    @Test
    void withoutASharedCacheEachConnectionLoadsFromTheStorage() {
        db = Database.open(storage, new Database.Options().sharedCacheBytes(0));
        TransactionManager tm1 = new TransactionManager(false);
        TransactionManager tm2 = new TransactionManager(false);
        Connection c1 = db.open(tm1);
        Connection c2 = db.open(tm2);
        PersistentMap<String, Object> account = new PersistentMap<>();
        account.put("balance", 100L);
        c1.root().put("account", account);
        tm1.commit();
        tm2.begin();
        assertEquals(100L, map(c2.root().get("account")).get("balance"));
        assertEquals(1, storage.loads(Persistence.oid(account).getAsLong()));
        tm2.abort();
    }

    @Test
    void aSnapshotOlderThanTheSharedRevisionReadsItsOwn() {
        db = Database.open(storage);
        TransactionManager tm1 = new TransactionManager(false);
        TransactionManager tm2 = new TransactionManager(false);
        TransactionManager tm3 = new TransactionManager(false);
        Connection c1 = db.open(tm1);
        Connection c2 = db.open(tm2);
        Connection c3 = db.open(tm3);
        PersistentMap<String, Object> account = new PersistentMap<>();
        account.put("balance", 100L);
        c1.root().put("account", account);
        tm1.commit();
        long oid = Persistence.oid(account).getAsLong();

        tm2.begin();
        PersistentMap<String, Object> seenBy2 = map(c2.root().get("account")); // the root only: a ghost
        account.put("balance", 50L);
        tm1.commit(); // the revision of this commit is the one shared now
        tm3.begin();
        assertEquals(50L, map(c3.root().get("account")).get("balance"));
        int before = storage.loads(oid);
        assertEquals(100L, seenBy2.get("balance"), "c2's snapshot is before the shared revision");
        assertEquals(before + 1, storage.loads(oid), "so it loaded its own from the storage");
        tm2.abort();
        tm2.begin();
        assertEquals(50L, seenBy2.get("balance"));
        tm2.abort();
        tm3.abort();
    }

    @Test
    void aLoadedRecordIsSharedWithAConnectionOpenedLater() {
        db = Database.open(storage);
        TransactionManager tm1 = new TransactionManager(false);
        Connection c1 = db.open(tm1);
        Map<String, Long> oids = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            PersistentMap<String, Object> a = new PersistentMap<>();
            a.put("n", (long) i);
            c1.root().put("a" + i, a);
        }
        tm1.commit();
        c1.close();
        db.close();

        db = Database.open(storage); // a new database: nothing shared yet
        TransactionManager tm2 = new TransactionManager(false);
        TransactionManager tm3 = new TransactionManager(false);
        Connection c2 = db.open(tm2);
        Connection c3 = db.open(tm3);
        tm2.begin();
        for (int i = 0; i < 20; i++) {
            PersistentMap<String, Object> a = map(c2.root().get("a" + i));
            assertEquals((long) i, a.get("n"));
            oids.put("a" + i, Persistence.oid(a).getAsLong());
        }
        tm2.abort();
        tm3.begin();
        for (int i = 0; i < 20; i++) {
            assertEquals((long) i, map(c3.root().get("a" + i)).get("n"));
            assertEquals(1, storage.loads(oids.get("a" + i)), "loaded once, by c2");
        }
        tm3.abort();
    }

    @SuppressWarnings("unchecked")
    private static PersistentMap<String, Object> map(Object o) {
        return (PersistentMap<String, Object>) o;
    }

    /** Counts the loads of each oid that reach the storage. */
    private static final class CountingStorage extends ForwardingStorage {
        private final Map<Long, Integer> loads = new HashMap<>();

        CountingStorage() {
            super(new MemoryStorage());
        }

        @Override
        public synchronized Revision loadAt(long oid, long tid) {
            loads.merge(oid, 1, Integer::sum);
            return inner.loadAt(oid, tid);
        }

        synchronized int loads(long oid) {
            return loads.getOrDefault(oid, 0);
        }

        @Override
        public void close() {
            // the storage outlives a database closed over it: the last test reopens one on the same storage
        }
    }
}
