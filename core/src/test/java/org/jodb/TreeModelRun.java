package org.jodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jodb.transaction.Savepoint;
import org.jodb.transaction.TransactionManager;

/**
 * Random operation sequences applied side by side to a {@link PersistentTreeMap} and a {@code TreeMap} (or a
 * {@link PersistentTreeSet} and a {@code TreeSet}), across savepoints, rollbacks, aborts, commits, reopening
 * the database and cache minimisation that ghosts the buckets, with nodes of 4 entries so that buckets and
 * branches split and empty at every level. Public for the storage module's tests, which run it on the file
 * storage. A failing run names its seed and step.
 */
public final class TreeModelRun {

    /** Opens the database again over the same data (closing {@code old} where the storage allows it). */
    public interface Reopener {
        Database reopen(Database old);
    }

    private TreeModelRun() {
    }

    /** One run of the map model; throws an AssertionError naming the seed and step on a difference. */
    public static void map(long seed, int steps, Database first, Reopener reopener) {
        int step = 0;
        Database db = first;
        try {
            Random rnd = new Random(seed);
            TransactionManager tm = new TransactionManager(false);
            Connection conn = db.open(tm);
            conn.root().put("t", new PersistentTreeMap<Integer, String>(null, 4, 4));
            tm.commit();
            NavigableMap<Integer, String> tree = tree(conn);
            TreeMap<Integer, String> model = new TreeMap<>();
            TreeMap<Integer, String> committed = new TreeMap<>();
            Savepoint savepoint = null;
            TreeMap<Integer, String> atSavepoint = null;
            int range = 200 + rnd.nextInt(400);
            int deepest = 0;
            for (; step < steps; step++) {
                deepest = Math.max(deepest, ((PersistentTree) tree).depth());
                int op = rnd.nextInt(100);
                int key = rnd.nextInt(range);
                String value = "v" + rnd.nextInt(50);
                if (op < 30) {
                    assertEquals(model.put(key, value), tree.put(key, value));
                } else if (op < 33) {
                    for (int i = rnd.nextInt(60); i > 0; i--, key = (key + 1) % range) {
                        assertEquals(model.put(key, value), tree.put(key, value)); // a run: splits
                    }
                } else if (op < 50) {
                    assertEquals(model.remove(key), tree.remove(key));
                } else if (op < 52) {
                    int n = rnd.nextInt(40);
                    for (int i = 0; i < n; i++) {
                        assertEquals(model.pollFirstEntry(), tree.pollFirstEntry());
                        assertEquals(model.pollLastEntry(), tree.pollLastEntry());
                    }
                } else if (op < 58) {
                    assertEquals(model.get(key), tree.get(key));
                    assertEquals(model.containsKey(key), tree.containsKey(key));
                    assertEquals(model.ceilingKey(key), tree.ceilingKey(key));
                    assertEquals(model.floorEntry(key), tree.floorEntry(key));
                    assertEquals(model.higherKey(key), tree.higherKey(key));
                    assertEquals(model.lowerEntry(key), tree.lowerEntry(key));
                    assertEquals(model.isEmpty() ? null : model.firstKey(), tree.isEmpty() ? null : tree.firstKey());
                    assertEquals(model.lastEntry(), tree.lastEntry());
                } else if (op < 66) {
                    int to = key + rnd.nextInt(range / 2);
                    boolean fi = rnd.nextBoolean();
                    boolean ti = rnd.nextBoolean();
                    NavigableMap<Integer, String> a;
                    NavigableMap<Integer, String> b;
                    switch (rnd.nextInt(4)) {
                        case 0 -> {
                            a = model.subMap(key, fi, to, ti);
                            b = tree.subMap(key, fi, to, ti);
                        }
                        case 1 -> {
                            a = model.headMap(key, fi);
                            b = tree.headMap(key, fi);
                        }
                        case 2 -> {
                            a = model.tailMap(key, fi);
                            b = tree.tailMap(key, fi);
                        }
                        default -> {
                            a = model.descendingMap().subMap(to, ti, key, fi);
                            b = tree.descendingMap().subMap(to, ti, key, fi);
                        }
                    }
                    if (rnd.nextBoolean()) {
                        a = a.descendingMap();
                        b = b.descendingMap();
                    }
                    assertEquals(new ArrayList<>(a.entrySet()), new ArrayList<>(b.entrySet()));
                    assertEquals(a.size(), b.size());
                    assertEquals(a.isEmpty() ? null : a.firstKey(), b.isEmpty() ? null : b.firstKey());
                    assertEquals(a.ceilingKey(key + 3), b.ceilingKey(key + 3));
                    assertEquals(a.floorKey(to - 3), b.floorKey(to - 3));
                    if (rnd.nextInt(3) == 0) { // remove through the view's iterator, every other entry
                        removeEveryOther(a.entrySet().iterator());
                        removeEveryOther(b.entrySet().iterator());
                    } else if (rnd.nextInt(3) == 0) {
                        for (Map.Entry<Integer, String> e : b.entrySet()) {
                            if (e.getKey() % 3 == 0) {
                                e.setValue("set" + e.getKey());
                                model.put(e.getKey(), "set" + e.getKey());
                            }
                        }
                    } else if (rnd.nextInt(4) == 0 && !a.isEmpty()) {
                        Integer inside = a.firstKey();
                        assertEquals(a.put(inside, value), b.put(inside, value));
                    }
                } else if (op < 74) {
                    tm.commit();
                    committed = new TreeMap<>(model);
                    savepoint = null;
                    if (rnd.nextInt(3) == 0) {
                        conn.cacheMinimize(); // the tree and its nodes become ghosts
                    }
                } else if (op < 77) {
                    tm.abort();
                    model = new TreeMap<>(committed);
                    savepoint = null;
                } else if (op < 83) {
                    savepoint = tm.savepoint();
                    atSavepoint = new TreeMap<>(model);
                    if (rnd.nextBoolean()) {
                        conn.cacheMinimize();
                    }
                } else if (op < 88 && savepoint != null) {
                    savepoint.rollback();
                    model = new TreeMap<>(atSavepoint);
                } else if (op < 89) {
                    tm.commit();
                    committed = new TreeMap<>(model);
                    savepoint = null;
                    db = reopener.reopen(db);
                    tm = new TransactionManager(false);
                    conn = db.open(tm);
                    tree = tree(conn);
                } else if (op < 90 && rnd.nextInt(10) == 0) {
                    model.clear();
                    tree.clear();
                }
                if (step % 25 == 0) {
                    assertEquals(model.size(), tree.size());
                    assertEquals(new ArrayList<>(model.entrySet()), new ArrayList<>(tree.entrySet()));
                    assertEquals(new ArrayList<>(model.descendingKeySet()), new ArrayList<>(tree.descendingKeySet()));
                    assertEquals(model, tree);
                    assertEquals(model.hashCode(), tree.hashCode());
                }
            }
            assertTrue(deepest >= 4, "the tree grew to " + deepest + " levels only");
            tm.commit();
            db = reopener.reopen(db);
            tm = new TransactionManager(false);
            assertEquals(model, tree(db.open(tm)));
            assertEquals(model.toString(), tree(db.open(tm)).toString());
            tm.abort();
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("tree map model, seed " + seed + ", step " + step + ": " + e, e);
        } finally {
            db.close();
        }
    }

    /** One run of the set model; throws an AssertionError naming the seed and step on a difference. */
    public static void set(long seed, int steps, Database first, Reopener reopener) {
        int step = 0;
        Database db = first;
        try {
            Random rnd = new Random(seed);
            TransactionManager tm = new TransactionManager(false);
            Connection conn = db.open(tm);
            conn.root().put("s", new PersistentTreeSet<String>(null, 4, 4));
            tm.commit();
            NavigableSet<String> set = set(conn);
            TreeSet<String> model = new TreeSet<>();
            TreeSet<String> committed = new TreeSet<>();
            Savepoint savepoint = null;
            TreeSet<String> atSavepoint = null;
            for (; step < steps; step++) {
                int op = rnd.nextInt(100);
                String e = String.format("e%03d", rnd.nextInt(300));
                String to = String.format("e%03d", rnd.nextInt(300));
                if (op < 35) {
                    assertEquals(model.add(e), set.add(e));
                } else if (op < 55) {
                    assertEquals(model.remove(e), set.remove(e));
                } else if (op < 57) {
                    assertEquals(model.pollFirst(), set.pollFirst());
                    assertEquals(model.pollLast(), set.pollLast());
                } else if (op < 62) {
                    assertEquals(model.contains(e), set.contains(e));
                    assertEquals(model.ceiling(e), set.ceiling(e));
                    assertEquals(model.floor(e), set.floor(e));
                    assertEquals(model.higher(e), set.higher(e));
                    assertEquals(model.lower(e), set.lower(e));
                } else if (op < 70) {
                    String lo = e.compareTo(to) <= 0 ? e : to;
                    String hi = e.compareTo(to) <= 0 ? to : e;
                    NavigableSet<String> a;
                    NavigableSet<String> b;
                    switch (rnd.nextInt(3)) {
                        case 0 -> {
                            a = model.subSet(lo, true, hi, false);
                            b = set.subSet(lo, true, hi, false);
                        }
                        case 1 -> {
                            a = model.tailSet(lo, false);
                            b = set.tailSet(lo, false);
                        }
                        default -> {
                            a = model.headSet(hi, true).descendingSet();
                            b = set.headSet(hi, true).descendingSet();
                        }
                    }
                    assertEquals(new ArrayList<>(a), new ArrayList<>(b));
                    if (rnd.nextInt(3) == 0) {
                        removeEveryOther(a.iterator());
                        removeEveryOther(b.iterator());
                    } else if (!a.contains(e) && inside(a, e)) {
                        assertEquals(a.add(e), b.add(e));
                    }
                } else if (op < 78) {
                    tm.commit();
                    committed = new TreeSet<>(model);
                    savepoint = null;
                    if (rnd.nextInt(3) == 0) {
                        conn.cacheMinimize();
                    }
                } else if (op < 81) {
                    tm.abort();
                    model = new TreeSet<>(committed);
                    savepoint = null;
                } else if (op < 87) {
                    savepoint = tm.savepoint();
                    atSavepoint = new TreeSet<>(model);
                } else if (op < 92 && savepoint != null) {
                    savepoint.rollback();
                    model = new TreeSet<>(atSavepoint);
                } else if (op < 93) {
                    tm.commit();
                    committed = new TreeSet<>(model);
                    savepoint = null;
                    db = reopener.reopen(db);
                    tm = new TransactionManager(false);
                    conn = db.open(tm);
                    set = set(conn);
                }
                if (step % 25 == 0) {
                    assertEquals(model.size(), set.size());
                    assertEquals(new ArrayList<>(model), new ArrayList<>(set));
                    assertEquals(model, set);
                    assertEquals(model.hashCode(), set.hashCode());
                }
            }
            tm.commit();
            db = reopener.reopen(db);
            tm = new TransactionManager(false);
            assertEquals(model, set(db.open(tm)));
            tm.abort();
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("tree set model, seed " + seed + ", step " + step + ": " + e, e);
        } finally {
            db.close();
        }
    }

    private static boolean inside(NavigableSet<String> view, String e) {
        try {
            view.headSet(e, true); // throws when e is outside the view's range
            view.tailSet(e, true);
            return true;
        } catch (IllegalArgumentException outside) {
            return false;
        }
    }

    private static void removeEveryOther(Iterator<?> it) {
        for (int i = 0; it.hasNext(); i++) {
            it.next();
            if (i % 2 == 0) {
                it.remove();
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static NavigableMap<Integer, String> tree(Connection conn) {
        return (NavigableMap<Integer, String>) conn.root().get("t");
    }

    @SuppressWarnings("unchecked")
    private static NavigableSet<String> set(Connection conn) {
        return (NavigableSet<String>) conn.root().get("s");
    }
}
