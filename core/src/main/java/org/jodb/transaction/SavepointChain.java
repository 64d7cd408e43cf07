package org.jodb.transaction;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

/**
 * The savepoints of one transaction that can still be rolled back to, oldest first.
 *
 * <p>Invariants: (1) it holds the live savepoints (valid and still referenced by the application) in
 * increasing index order, and a savepoint leaves it when it is invalidated; (2) indexes start at 1 and
 * grow by one per savepoint taken. Held weakly, as in ZODB: a savepoint the application dropped cannot
 * be rolled back anyway, and needs no {@link AbortSavepoint} parts for data managers that join later.
 *
 * <p>Not thread-safe: used on the transaction's thread.
 */
final class SavepointChain {
    private final List<WeakReference<RealSavepoint>> savepoints = new ArrayList<>();
    /** The index of the last savepoint taken; 0 before the first. */
    private int count;

    /** Makes the next savepoint of {@code transaction} from the data managers' parts and keeps it. */
    RealSavepoint add(RealTransaction transaction, List<DataManagerSavepoint> parts) {
        RealSavepoint savepoint = new RealSavepoint(transaction, ++count, parts);
        savepoints.add(new WeakReference<>(savepoint));
        return savepoint;
    }

    /** The savepoints still valid and referenced, oldest first. */
    List<RealSavepoint> live() {
        List<RealSavepoint> live = new ArrayList<>(savepoints.size());
        savepoints.removeIf(ref -> ref.get() == null);
        for (WeakReference<RealSavepoint> ref : savepoints) {
            RealSavepoint s = ref.get();
            if (s != null) {
                live.add(s);
            }
        }
        return live;
    }

    /** Rolling back to savepoint {@code index} invalidates every later one. */
    void invalidateAfter(int index) {
        for (RealSavepoint s : live()) {
            if (s.index > index) {
                s.invalidate("was invalidated by rolling back savepoint " + index);
            }
        }
        savepoints.removeIf(ref -> ref.get() == null || !ref.get().isValid());
    }

    /** The transaction committed or aborted: no savepoint of it can be rolled back any more. */
    void invalidateAll(String why) {
        for (RealSavepoint s : live()) {
            s.invalidate(why);
        }
        savepoints.clear();
    }

    /**
     * A data manager joined after the live savepoints were taken: it had no state then, so rolling back
     * to one of them aborts it.
     */
    void addLateJoiner(DataManager dataManager, RealTransaction transaction) {
        List<RealSavepoint> live = live();
        if (!live.isEmpty()) {
            AbortSavepoint part = new AbortSavepoint(dataManager, transaction);
            for (RealSavepoint s : live) {
                s.addPart(part);
            }
        }
    }
}
