package org.jodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.jodb.spi.MemoryStorage;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.Test;

/**
 * New objects chained to one another (a0 → a1 → ...), written by a savepoint, ghosted and collected, some of
 * them fetched again by oid: an abort disowns every one the application can reach with its latest state, and
 * none of them refers to a ghost of a discarded oid, even when they are added to the database again.
 */
class DisownedChainTest {
    private static final int CHAIN = 8;
    private final MemoryStorage storage = new MemoryStorage();

    /** The chain, written by a savepoint, then ghosted and collected; returns its oids. */
    private static long[] chainWrittenAndCollected(Connection conn, TransactionManager tm) {
        conn.setCacheSize(0);
        conn.root().put("x", "y");
        tm.commit();
        List<Account> chain = new ArrayList<>();
        for (int i = 0; i < CHAIN; i++) {
            chain.add(conn.create(Account.class, "a" + i, (long) i));
        }
        for (int i = 0; i + 1 < CHAIN; i++) {
            chain.get(i).setPartner(chain.get(i + 1));
        }
        conn.root().put("head", chain.get(0));
        tm.savepoint();
        long[] oids = new long[CHAIN];
        for (int i = 0; i < CHAIN; i++) {
            oids[i] = Persistence.oid(chain.get(i)).getAsLong();
        }
        chain.clear();
        conn.cacheMinimize();
        for (int i = 0; i < 3; i++) {
            System.gc(); // the instances nothing holds go: reading a record again makes new ghosts
        }
        return oids;
    }

    /** Every second object of the chain, fetched again by oid from the savepoint's records. */
    private static List<Account> fetchedByOid(Connection conn, long[] oids) {
        List<Account> fetched = new ArrayList<>();
        for (int i = 1; i < CHAIN; i += 2) {
            fetched.add((Account) conn.get(oids[i]));
        }
        return fetched;
    }

    @Test
    void anAbortedObjectFetchedByOidRefersOnlyToDisownedObjects() {
        TransactionManager tm = new TransactionManager(false);
        Connection conn = Database.open(storage).open(tm);
        List<Account> fetched = fetchedByOid(conn, chainWrittenAndCollected(conn, tm));
        tm.abort();
        for (Account a : fetched) {
            assertTrue(Persistence.oid(a).isEmpty(), "disowned: " + a.owner());
            int rest = 0;
            for (Account p = a.partner(); p != null; p = p.partner()) {
                assertTrue(Persistence.oid(p).isEmpty(), "the partner " + p.owner() + " of " + a.owner()
                        + " is disowned, not a ghost of a discarded oid");
                rest++;
            }
            assertEquals(CHAIN - 1 - Integer.parseInt(a.owner().substring(1)), rest, "the rest of the chain");
        }
    }

    @Test
    void anAbortedObjectFetchedByOidAddedAgainCommitsWhole() {
        TransactionManager tm = new TransactionManager(false);
        Connection conn = Database.open(storage).open(tm);
        List<Account> fetched = fetchedByOid(conn, chainWrittenAndCollected(conn, tm));
        tm.abort();
        for (int i = 0; i < fetched.size(); i++) {
            conn.root().put("again" + i, fetched.get(i));
        }
        tm.commit();

        TransactionManager tm2 = new TransactionManager(false);
        Connection reader = Database.open(storage).open(tm2);
        for (int i = 0; i < fetched.size(); i++) {
            int length = 0;
            for (Account p = (Account) reader.root().get("again" + i); p != null; p = p.partner()) {
                assertEquals("a" + (2 * i + 1 + length), p.owner()); // loads it: no record would throw
                length++;
            }
            assertEquals(CHAIN - 1 - 2 * i, length);
        }
        tm2.abort();
    }

    @Test
    void aNegativeOidIsNoObject() {
        TransactionManager tm = new TransactionManager(false);
        Connection conn = Database.open(storage).open(tm);
        assertThrows(ObjectNotFoundException.class, () -> conn.get(Long.MIN_VALUE));
        assertThrows(ObjectNotFoundException.class, () -> conn.get(-1));
        tm.abort();
    }
}
