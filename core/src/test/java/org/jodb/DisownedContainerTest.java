package org.jodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.function.Supplier;
import org.jodb.spi.MemoryStorage;
import org.jodb.transaction.Savepoint;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A large map (a {@code PersistentMap} in chunks, or a {@code PersistentTreeMap}) created after a savepoint, written by a later savepoint, turned into ghosts by the cache, then
 * loaded again and changed, is disowned when the transaction rolls back (or aborts): it keeps its latest
 * state, every piece and value it refers to is a disowned instance with its latest state (none is a ghost of an
 * oid the rollback discarded), and adding it to the database again commits all of it.
 */
class DisownedContainerTest {
    private static final int ENTRIES = 3_000;
    private final MemoryStorage storage = new MemoryStorage();

    enum Kind {
        CHUNKED_MAP(PersistentMap::new), TREE_MAP(PersistentTreeMap::new);

        final Supplier<Map<String, Object>> make;

        Kind(Supplier<Map<String, Object>> make) {
            this.make = make;
        }
    }

    /** Builds the map after a savepoint, ghosts it through a second one, touches it again; returns the first. */
    private static Savepoint mapWrittenGhostedAndTouched(Connection conn, TransactionManager tm,
            Map<String, Object> m) {
        conn.setCacheSize(0);
        conn.root().put("x", "y");
        tm.commit();
        Savepoint sp = tm.savepoint();
        for (int i = 0; i < ENTRIES; i++) {
            m.put("k" + i, conn.create(Account.class, "o" + i, (long) i));
        }
        conn.root().put("m", m);
        tm.savepoint(); // written, then ghosted (cache size 0): the map, its chunks, its hash tree, the accounts
        m.put("extra", "e"); // loaded again and touched; its pieces are ghosts
        conn.cacheMinimize();
        System.gc(); // instances only the cache held go: reading the map's records again makes new ghosts
        return sp;
    }

    private static void assertWhole(Map<String, Object> m, String where) {
        for (int i = 0; i < ENTRIES; i++) {
            assertEquals(i, ((Account) m.get("k" + i)).balance(), where + ": k" + i);
        }
        assertEquals("e", m.get("extra"), where);
        assertEquals(ENTRIES + 1, m.size(), where);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aRolledBackMapKeepsItsLatestStateThroughout(Kind kind) {
        TransactionManager tm = new TransactionManager(false);
        Connection conn = Database.open(storage).open(tm);
        Map<String, Object> m = kind.make.get();
        Savepoint sp = mapWrittenGhostedAndTouched(conn, tm, m);
        sp.rollback();
        assertTrue(Persistence.oid(m).isEmpty(), "disowned");
        assertWhole(m, "after the rollback");
        int accounts = 0;
        for (Object value : m.values()) {
            accounts += value instanceof Account a && Persistence.oid(a).isEmpty() ? 1 : 0;
        }
        assertEquals(ENTRIES, accounts, "every value a disowned account");
        tm.abort();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void anAbortedMapKeepsItsLatestStateThroughout(Kind kind) {
        TransactionManager tm = new TransactionManager(false);
        Connection conn = Database.open(storage).open(tm);
        Map<String, Object> m = kind.make.get();
        mapWrittenGhostedAndTouched(conn, tm, m);
        tm.abort();
        assertTrue(Persistence.oid(m).isEmpty(), "disowned");
        assertWhole(m, "after the abort");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aRolledBackMapAddedAgainCommitsWhole(Kind kind) {
        TransactionManager tm = new TransactionManager(false);
        Connection conn = Database.open(storage).open(tm);
        Map<String, Object> m = kind.make.get();
        Savepoint sp = mapWrittenGhostedAndTouched(conn, tm, m);
        sp.rollback();
        conn.root().put("m", m); // added again: stored anew, with new oids
        tm.commit();

        TransactionManager tm2 = new TransactionManager(false);
        Connection again = Database.open(storage).open(tm2);
        @SuppressWarnings("unchecked")
        Map<String, Object> reread = (Map<String, Object>) again.root().get("m");
        assertWhole(reread, "stored again");
        tm2.abort();
    }
}
