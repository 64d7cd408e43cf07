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

    /** What becomes of one key changed the same way by both transactions. */
    public enum SameChange {
        /** Merged: the result holds the change once. */
        MERGED,
        /**
         * Merged when both replaced the value; refused when both inserted or both removed the key (a size
         * counter kept elsewhere counts each transaction's insertions and removals, and would count it twice).
         */
        MERGED_IF_REPLACED,
        /**
         * Refused, as ZODB's buckets do: two read-modify-writes of one value (two withdrawals of 1 from a
         * balance of 100, both writing 99) look the same, and merging them would lose one.
         */
        REFUSED
    }

    /**
     * Applies to {@code committed} what the committing transaction changed from {@code old} to {@code mine};
     * false when that cannot be done safely. Refused: both changed one key differently; a key that is a
     * persistent object; values that are neither persistent (compared by identity) nor equal by
     * {@code equals}. Accepted: changes to disjoint keys, and the same change made by both as
     * {@code sameChange} says.
     */
    public static boolean apply(Map<Object, Object> old, Map<Object, Object> committed, Map<Object, Object> mine,
            SameChange sameChange) {
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
                if (inMine == inCommitted && same(mine.get(key), committed.get(key))
                        && (sameChange == SameChange.MERGED
                                || sameChange == SameChange.MERGED_IF_REPLACED && inOld == inMine)) {
                    continue; // both made the same change
                }
                return false;
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
    public static boolean same(Object a, Object b) {
        if (a instanceof PersistentObject || b instanceof PersistentObject) {
            return a == b;
        }
        return Objects.equals(a, b);
    }
}
