package org.jodb.internal.object;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The three-way merge of the entries of a map-like record ({@code PersistentMap}, a chunk of a large one,
 * a B-tree bucket): two transactions that changed <em>different</em> keys both keep their change. Internal
 * to jodb: public only for the persistent collections of {@code org.jodb}.
 */
public final class EntryMerge {

    private EntryMerge() {
    }

    /**
     * Applies to {@code committed} what the committing transaction changed from {@code old} to {@code mine};
     * false when that cannot be done safely. Accepted: changes to disjoint keys. Refused: a key changed by
     * both, even the same way, as ZODB's buckets refuse it: two read-modify-writes of one value (two
     * withdrawals of 1 from a balance of 100, both writing 99) look the same, and merging them would lose
     * one; and both inserting or both removing a key would be counted twice by a size counter kept
     * elsewhere. Refused too: a key that is a persistent object; values that are neither persistent
     * (compared by identity) nor equal by {@code equals}.
     */
    public static boolean apply(Map<Object, Object> old, Map<Object, Object> committed, Map<Object, Object> mine) {
        Set<Object> keys = new LinkedHashSet<>(old.keySet());
        keys.addAll(mine.keySet());
        for (Object key : keys) {
            if (key instanceof PersistentObject) {
                return false;
            }
            boolean inOld = old.containsKey(key);
            boolean inMine = mine.containsKey(key);
            if (inOld == inMine && same(old.get(key), mine.get(key))) {
                continue; // this transaction did not change the key
            }
            boolean inCommitted = committed.containsKey(key);
            boolean theyChanged = !(inOld == inCommitted && same(old.get(key), committed.get(key)));
            if (theyChanged) {
                return false; // both changed the key
            }
            if (inMine) {
                committed.put(key, mine.get(key));
            } else {
                committed.remove(key);
            }
        }
        return true;
    }

    /** Whether two decoded values are the same: persistent objects by identity, others by {@code equals}. */
    private static boolean same(Object a, Object b) {
        if (a instanceof PersistentObject || b instanceof PersistentObject) {
            return a == b;
        }
        return Objects.equals(a, b);
    }
}
