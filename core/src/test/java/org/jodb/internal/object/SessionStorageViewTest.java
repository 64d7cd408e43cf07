package org.jodb.internal.object;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.PersistentMap;
import org.jodb.spi.Changes;
import org.jodb.spi.CommittedTransaction;
import org.jodb.spi.ForwardingStorage;
import org.jodb.spi.MemoryStorage;
import org.jodb.spi.Revision;
import org.jodb.spi.StorageView;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A connection reads its snapshot and learns of other commits only through its storage view, as a storage
 * shared by several processes needs: a storage whose own snapshot reads fail serves it fully, and a view that
 * cannot tell what changed makes it drop every unchanged object it holds.
 */
class SessionStorageViewTest {
    private final ViewOnlyStorage storage = new ViewOnlyStorage();
    private final Database db = Database.open(storage);
    private final TransactionManager tm1 = new TransactionManager();
    private final TransactionManager tm2 = new TransactionManager();

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void snapshotsAndInvalidationsComeFromTheView() {
        Connection c1 = db.open(tm1);
        Connection c2 = db.open(tm2);
        PersistentMap<String, Object> inner = new PersistentMap<>();
        inner.put("n", 1);
        c1.root().put("inner", inner);
        tm1.commit();
        tm2.begin();
        @SuppressWarnings("unchecked")
        PersistentMap<String, Object> seen = (PersistentMap<String, Object>) c2.root().get("inner");
        assertEquals(1, seen.get("n"));
        inner.put("n", 2);
        tm1.commit();
        assertEquals(1, seen.get("n"), "c2's snapshot is fixed until its transaction ends");
        tm2.commit();
        assertEquals(2, seen.get("n"), "the view's poll reported the change: the same instance reloaded");
        assertSame(seen, c2.root().get("inner"));
        assertTrue(storage.viewLoads > 0 && storage.viewPolls > 0, storage.viewLoads + " loads, "
                + storage.viewPolls + " polls through views");
    }

    @Test
    void changesAViewCannotTellMakeEveryUnchangedObjectAGhost() {
        Connection c1 = db.open(tm1);
        Connection c2 = db.open(tm2);
        c1.root().put("a", new PersistentMap<String, Object>());
        c1.root().put("b", new PersistentMap<String, Object>());
        tm1.commit();
        tm2.begin();
        Object a = c2.root().get("a");
        Object b = c2.root().get("b");
        ((PersistentMap<?, ?>) a).size();
        ((PersistentMap<?, ?>) b).size();
        tm2.commit();
        assertEquals(ObjectStatus.CLEAN, status(a));
        storage.pollsUnknown = true;
        c1.root().put("other", "x"); // a commit that touches neither a nor b
        tm1.commit();
        tm2.begin();
        assertEquals(ObjectStatus.GHOST, status(a), "the view could not say what changed: every object dropped");
        assertEquals(ObjectStatus.GHOST, status(b));
        assertEquals("x", c2.root().get("other"), "the root reloaded at the new snapshot");
    }

    private static ObjectStatus status(Object o) {
        return ((PersistentObject) o).$jodbState().status();
    }

    /** A memory storage whose snapshot reads refuse: loads and polls must come through its views. */
    private static final class ViewOnlyStorage extends ForwardingStorage {
        int viewLoads;
        int viewPolls;
        volatile boolean pollsUnknown;

        ViewOnlyStorage() {
            super(new MemoryStorage());
        }

        @Override
        public StorageView openView() {
            return new CountingView(inner.openView());
        }

        @Override
        public StorageView openView(long atTid) {
            return new CountingView(inner.openView(atTid));
        }

        @Override
        public long lastTid() {
            throw new AssertionError("a snapshot is fixed by a view, not by lastTid");
        }

        @Override
        public Revision loadAt(long oid, long tid) {
            throw new AssertionError("a snapshot is read through a view, not by loadAt");
        }

        @Override
        public List<CommittedTransaction> transactionsAfter(long tid) {
            throw new AssertionError("commits are learnt through a view's poll, not by transactionsAfter");
        }

        @Override
        public String name() {
            return "view-only";
        }

        private final class CountingView implements StorageView {
            private final StorageView view;

            CountingView(StorageView view) {
                this.view = view;
            }

            @Override
            public long snapshotTid() {
                return view.snapshotTid();
            }

            @Override
            public Changes poll() {
                viewPolls++;
                Changes changes = view.poll();
                return pollsUnknown ? Changes.unknown(changes.snapshotTid()) : changes;
            }

            @Override
            public Revision load(long oid) {
                viewLoads++;
                return view.load(oid);
            }

            @Override
            public long oldestSnapshot() {
                return view.oldestSnapshot();
            }

            @Override
            public void close() {
                view.close();
            }
        }
    }
}
