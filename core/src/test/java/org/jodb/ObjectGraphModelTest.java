package org.jodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.jodb.spi.MemoryStorage;
import org.jodb.transaction.InvalidSavepointException;
import org.jodb.transaction.Savepoint;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.Test;

/**
 * Random sequences of changes to a graph of proxies (accounts under the root, linked by partner
 * references, some created after savepoints, some unlinked) mixed with savepoints, rollbacks to any valid
 * savepoint, commits, aborts, commits that fail in vote on a conflict, cache minimization and a tiny
 * cache, checked after every step against a plain in-memory model: the connection's objects, the
 * references the application holds, and what a second connection sees (its snapshot held while the first
 * commits, then the newest state after its transaction ends).
 */
class ObjectGraphModelTest {

    /** The model of one account: its balance, history and partner, by owner name. */
    private record State(long balance, List<String> history, String partner) {
    }

    /** The model of the database: root key -> owner, and every account's state by owner. */
    private static final class Model {
        final TreeMap<String, String> root = new TreeMap<>();
        final Map<String, State> accounts = new HashMap<>();

        Model copy() {
            Model m = new Model();
            m.root.putAll(root);
            accounts.forEach((k, v) -> m.accounts.put(k, new State(v.balance, List.copyOf(v.history), v.partner)));
            return m;
        }

        Set<String> reachable() {
            Set<String> seen = new HashSet<>();
            ArrayDeque<String> todo = new ArrayDeque<>(root.values());
            while (!todo.isEmpty()) {
                String owner = todo.poll();
                if (owner != null && seen.add(owner)) {
                    State s = accounts.get(owner);
                    if (s.partner != null) {
                        todo.add(s.partner);
                    }
                }
            }
            return seen;
        }

        void deposit(String owner, long amount) {
            State s = accounts.get(owner);
            List<String> h = new ArrayList<>(s.history);
            h.add("deposit " + amount);
            accounts.put(owner, new State(s.balance + amount, h, s.partner));
        }
    }

    @Test
    void randomGraphChangesMatchAModel() {
        for (long seed = 1; seed <= 8; seed++) {
            run(seed, 2_000);
        }
    }

    private static void run(long seed, int steps) {
        Random rnd = new Random(seed);
        MemoryStorage storage = new MemoryStorage();
        try (Database db = Database.open(storage)) {
            TransactionManager tm = new TransactionManager(false);
            Connection conn = db.open(tm);
            TransactionManager otherTm = new TransactionManager(false);
            Connection other = db.open(otherTm);
            conn.setCacheSize((int) (seed % 3) * 2); // 0, 2, 4: gc ghosts clean objects at every savepoint
            other.setCacheSize((int) (seed % 2) * 3);
            Model model = new Model();
            Model committed = new Model();
            Map<String, Account> handles = new HashMap<>();
            List<Savepoint> savepoints = new ArrayList<>();
            List<Model> atSavepoint = new ArrayList<>();
            List<Savepoint> invalid = new ArrayList<>();
            Model otherView = null; // the committed model the other connection's open transaction reads
            int nextOwner = 0;
            for (int step = 0; step < steps; step++) {
                String where = "seed " + seed + " step " + step;
                int op = rnd.nextInt(100);
                List<String> owners = new ArrayList<>(handles.keySet());
                owners.sort(null);
                String some = owners.isEmpty() ? null : owners.get(rnd.nextInt(owners.size()));
                if (op < 20 && some != null) {
                    long amount = rnd.nextInt(100);
                    handles.get(some).deposit(amount);
                    model.deposit(some, amount);
                } else if (op < 32) {
                    String owner = "a" + nextOwner++;
                    Account a = conn.create(Account.class, owner, (long) rnd.nextInt(10));
                    handles.put(owner, a);
                    model.accounts.put(owner, new State(a.balance(), List.of(), null));
                    if (rnd.nextBoolean()) {
                        String key = "k" + rnd.nextInt(12);
                        conn.root().put(key, a);
                        model.root.put(key, owner);
                    }
                } else if (op < 38) {
                    String key = "k" + rnd.nextInt(12);
                    assertEquals(model.root.remove(key) != null, conn.root().remove(key) != null, where);
                } else if (op < 44 && some != null) {
                    String key = "k" + rnd.nextInt(12);
                    conn.root().put(key, handles.get(some));
                    model.root.put(key, some);
                } else if (op < 52 && some != null) {
                    String partner = rnd.nextInt(4) == 0 ? null : owners.get(rnd.nextInt(owners.size()));
                    handles.get(some).setPartner(partner == null ? null : handles.get(partner));
                    State s = model.accounts.get(some);
                    model.accounts.put(some, new State(s.balance, s.history, partner));
                } else if (op < 60) {
                    savepoints.add(tm.savepoint());
                    atSavepoint.add(model.copy());
                } else if (op < 68 && !savepoints.isEmpty()) {
                    int i = rnd.nextInt(savepoints.size());
                    savepoints.get(i).rollback();
                    while (savepoints.size() > i + 1) {
                        invalid.add(savepoints.remove(savepoints.size() - 1));
                        atSavepoint.remove(atSavepoint.size() - 1);
                    }
                    model = restore(atSavepoint.get(i), handles);
                } else if (op < 74) {
                    tm.commit();
                    committed = model.copy();
                    endSavepoints(savepoints, atSavepoint, invalid);
                    model = restore(committed, handles);
                    if (rnd.nextInt(3) == 0) {
                        // a read joins the next transaction; closing leaves it, and the pool hands the same
                        // connection (cache, objects) back for the rest of that transaction
                        handles.values().stream().findAny().ifPresent(Account::balance);
                        conn.close();
                        conn = db.open(tm);
                    }
                } else if (op < 78) {
                    tm.abort();
                    endSavepoints(savepoints, atSavepoint, invalid);
                    model = restore(committed, handles);
                } else if (op < 82) {
                    // a commit that fails in vote: the other connection changes an account this one changed
                    String victim = committedReachable(committed, model, rnd);
                    if (victim != null) {
                        handles.get(victim).deposit(1);
                        otherTm.abort();
                        otherView = null;
                        Account theirs = find(other, committed, victim);
                        theirs.deposit(1000);
                        otherTm.commit();
                        committed.deposit(victim, 1000);
                        assertThrows(ConflictException.class, tm::commit, where);
                        tm.abort();
                        endSavepoints(savepoints, atSavepoint, invalid);
                        model = restore(committed, handles);
                    }
                } else if (op < 84 && some != null) {
                    // a plain list held in a field, changed in place after the method returned it
                    handles.get(some).history().add("note " + step);
                    State s = model.accounts.get(some);
                    List<String> h = new ArrayList<>(s.history);
                    h.add("note " + step);
                    model.accounts.put(some, new State(s.balance, h, s.partner));
                } else if (op < 86) {
                    conn.cacheMinimize();
                    if (some != null && Persistence.oid(handles.get(some)).isPresent()) {
                        assertSame(handles.get(some), conn.get(Persistence.oid(handles.get(some)).getAsLong()), where);
                    }
                } else if (op < 90) {
                    if (otherView == null) {
                        otherTm.abort();
                        otherView = committed.copy();
                    }
                    if (rnd.nextBoolean()) {
                        other.cacheMinimize(); // its snapshot holds for ghosts loaded again
                    }
                    assertView(other, otherView, null, where + " (other connection)");
                } else if (op < 94 && !invalid.isEmpty()) {
                    Savepoint dead = invalid.get(rnd.nextInt(invalid.size()));
                    assertThrows(InvalidSavepointException.class, dead::rollback, where);
                } else if (otherView != null) {
                    otherTm.abort();
                    otherView = null;
                    assertView(other, committed, null, where + " (other connection, new transaction)");
                }
                adopt(conn, handles);
                assertView(conn, model, handles, where);
            }
            tm.abort();
            otherTm.abort();
            assertView(other, committed, null, "seed " + seed + " end (other connection)");
        }
    }

    /** The model after a rollback, abort or commit: accounts no longer reachable are not followed further. */
    private static Model restore(Model to, Map<String, Account> handles) {
        Model m = to.copy();
        Set<String> reachable = m.reachable();
        m.accounts.keySet().retainAll(reachable);
        handles.keySet().retainAll(reachable);
        return m;
    }

    /**
     * Holds the accounts reachable again (an abort or rollback brought back a link that an earlier rollback
     * had dropped, and with it the model stopped following the account); assertView checks them.
     */
    private static void adopt(Connection c, Map<String, Account> handles) {
        ArrayDeque<Account> todo = new ArrayDeque<>();
        for (Object o : c.root().values()) {
            todo.add((Account) o);
        }
        Set<Account> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            Account a = todo.poll();
            if (seen.add(a)) {
                handles.putIfAbsent(a.owner(), a);
                if (a.partner() != null) {
                    todo.add(a.partner());
                }
            }
        }
    }

    private static void endSavepoints(List<Savepoint> savepoints, List<Model> atSavepoint, List<Savepoint> invalid) {
        invalid.addAll(savepoints);
        savepoints.clear();
        atSavepoint.clear();
    }

    /** An account reachable both in the committed state and now, by owner; null if there is none. */
    private static String committedReachable(Model committed, Model now, Random rnd) {
        List<String> both = new ArrayList<>();
        for (Map.Entry<String, String> e : committed.root.entrySet()) {
            if (e.getValue().equals(now.root.get(e.getKey()))) {
                both.add(e.getValue());
            }
        }
        both.sort(null);
        return both.isEmpty() ? null : both.get(rnd.nextInt(both.size()));
    }

    private static Account find(Connection c, Model m, String owner) {
        for (Map.Entry<String, String> e : m.root.entrySet()) {
            if (e.getValue().equals(owner)) {
                return (Account) c.root().get(e.getKey());
            }
        }
        throw new AssertionError("not under the root: " + owner);
    }

    /** Every account reachable from the connection's root, and every held account, is as the model says. */
    private static void assertView(Connection c, Model m, Map<String, Account> handles, String where) {
        PersistentMap<String, Object> root = c.root();
        assertEquals(m.root.keySet(), new TreeMap<>(root).keySet(), where + ": root keys");
        Map<String, Account> seen = new LinkedHashMap<>();
        ArrayDeque<Account> todo = new ArrayDeque<>();
        for (Map.Entry<String, String> e : m.root.entrySet()) {
            Account a = (Account) root.get(e.getKey());
            assertEquals(e.getValue(), a.owner(), where + ": owner under " + e.getKey());
            todo.add(a);
        }
        while (!todo.isEmpty()) {
            Account a = todo.poll();
            Account earlier = seen.putIfAbsent(a.owner(), a);
            if (earlier != null) {
                assertSame(earlier, a, where + ": one instance per object: " + a.owner());
                continue;
            }
            State s = m.accounts.get(a.owner());
            assertTrue(s != null, where + ": unknown account " + a.owner());
            assertState(s, a, where);
            if (a.partner() != null) {
                todo.add(a.partner());
            }
        }
        if (handles != null) {
            for (Map.Entry<String, Account> e : handles.entrySet()) {
                Account a = e.getValue();
                assertEquals(e.getKey(), a.owner(), where + ": held account");
                assertState(m.accounts.get(e.getKey()), a, where);
                Account reached = seen.get(e.getKey());
                if (reached != null) {
                    assertSame(reached, a, where + ": held reference is the connection's instance " + e.getKey());
                }
            }
        }
    }

    private static void assertState(State s, Account a, String where) {
        assertEquals(s.balance, a.balance(), where + ": balance of " + a.owner());
        assertEquals(s.history, a.history(), where + ": history of " + a.owner());
        assertEquals(s.partner, a.partner() == null ? null : a.partner().owner(), where + ": partner of " + a.owner());
    }
}
