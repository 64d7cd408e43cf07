package org.jodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.NavigableMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jodb.spi.MemoryStorage;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bucket-level conflict resolution, with two connections (each with its own manager) on one database. */
class PersistentTreeConflictTest {
    private Database db;
    private TransactionManager tmA;
    private TransactionManager tmB;
    private Connection a;
    private Connection b;

    @BeforeEach
    void open() {
        db = Database.open(new MemoryStorage());
        tmA = new TransactionManager(false);
        tmB = new TransactionManager(false);
        a = db.open(tmA);
        b = db.open(tmB);
    }

    /** A tree with nodes of 4 holding {@code keys}, committed, seen by both connections. */
    private void treeOf(List<Integer> keys) {
        PersistentTreeMap<Integer, String> tree = new PersistentTreeMap<>(null, 4, 4);
        keys.forEach(k -> tree.put(k, "v" + k));
        a.root().put("t", tree);
        tmA.commit();
        tmB.abort(); // b's next transaction sees it
    }

    @SuppressWarnings("unchecked")
    private static NavigableMap<Integer, String> tree(Connection c) {
        return (NavigableMap<Integer, String>) c.root().get("t");
    }

    private NavigableMap<Integer, String> committed() {
        TransactionManager tm = new TransactionManager(false);
        NavigableMap<Integer, String> t = tree(db.open(tm));
        return new java.util.TreeMap<>(t);
    }

    @Test
    void differentKeysOfOneBucketBothCommitAndTheSizeAddsUp() {
        treeOf(List.of(10, 20, 30));
        tree(a).put(15, "a");
        tree(a).put(10, "changed by a");
        tree(b).remove(20);
        tree(b).put(25, "b");
        tree(b).put(35, "b"); // four keys in the bucket at b's snapshot: no split
        tmA.commit();
        tmB.commit();
        NavigableMap<Integer, String> t = committed();
        assertEquals(List.of(10, 15, 25, 30, 35), List.copyOf(t.keySet()));
        assertEquals("changed by a", t.get(10));
        TransactionManager tm = new TransactionManager(false);
        assertEquals(5, tree(db.open(tm)).size(), "the counter merged +1 and +1");
    }

    @Test
    void theSameKeyChangedToDifferentValuesConflicts() {
        treeOf(List.of(10, 20, 30));
        tree(a).put(20, "a");
        tree(b).put(20, "b");
        tmA.commit();
        ConflictException e = assertThrows(ConflictException.class, tmB::commit);
        assertEquals("org.jodb.PersistentTreeMap or PersistentTreeSet (a bucket of one)", e.className(),
                "the conflict names the tree the application knows, not the bucket's internal class");
        tmB.abort();
        assertEquals("a", committed().get(20));
    }

    @Test
    void twoReadModifyWritesOfOneValueConflictEvenWhenTheyWriteTheSame() {
        treeOf(List.of(10, 20, 30));
        tree(a).put(20, tree(a).get(20) + "-1"); // both take 1 from the same balance
        tree(b).put(20, tree(b).get(20) + "-1");
        tmA.commit();
        assertThrows(ConflictException.class, tmB::commit, "merged, one of the two changes would be lost");
        tmB.abort();
    }

    @Test
    void bothInsertingTheSameKeyConflicts() {
        treeOf(List.of(10, 20, 30));
        tree(a).put(25, "same");
        tree(b).put(25, "same");
        tmA.commit();
        assertThrows(ConflictException.class, tmB::commit, "the size counter would count the key twice");
        tmB.abort();
    }

    @Test
    void bothSplittingOneBucketConflictsAndRunRetriesIt() {
        treeOf(List.of(10, 20, 30, 40)); // a full bucket: the next insertion splits it
        AtomicInteger attempts = new AtomicInteger();
        tmB.run(3, () -> {
            tree(b).put(35, "b");
            if (attempts.incrementAndGet() == 1) {
                tree(a).put(15, "a"); // a splits the same bucket and commits first
                tmA.commit();
            }
            return null;
        });
        assertEquals(2, attempts.get());
        assertEquals(List.of(10, 15, 20, 30, 35, 40), List.copyOf(committed().keySet()));
    }

    @Test
    void aSplitByOneAndAnInsertionByTheOtherConflict() {
        treeOf(List.of(10, 20, 30, 40));
        tree(a).put(15, "a"); // splits
        tree(b).put(12, "b");
        tree(b).remove(40); // b's bucket does not overflow
        tmA.commit();
        assertThrows(ConflictException.class, tmB::commit);
        tmB.abort();
    }

    @Test
    void anEmptiedBucketConflictsWithAChangeInIt() {
        treeOf(List.of(10, 20, 30, 40, 50, 60, 70, 80, 90)); // buckets of 2 to 4 keys
        NavigableMap<Integer, String> ta = tree(a);
        int first = ta.firstKey();
        Integer second = ta.higherKey(first);
        ta.remove(first);
        ta.remove(second); // if the first bucket held only these two, it is empty now and left the tree
        ta.remove(ta.firstKey()); // at least one bucket emptied
        tree(b).put(5, "b"); // b inserts into the first bucket
        tmA.commit();
        assertThrows(ConflictException.class, tmB::commit);
        tmB.abort();
    }

    @Test
    void aSavepointRollbackUndoesASplit() {
        treeOf(List.of(10, 20, 30, 40));
        PersistentTree tree = (PersistentTree) tree(a);
        assertEquals(1, tree.depth());
        var savepoint = tmA.savepoint();
        tree(a).put(25, "splits");
        assertEquals(2, tree.depth());
        savepoint.rollback();
        assertEquals(1, tree.depth());
        assertEquals(List.of(10, 20, 30, 40), List.copyOf(tree(a).keySet()));
        tmA.commit();
    }
}
