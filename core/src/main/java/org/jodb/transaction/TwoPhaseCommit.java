package org.jodb.transaction;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The two-phase commit of one transaction's data managers, and the clean-up when it (or a savepoint)
 * fails.
 *
 * <p>Order: the data managers sorted by {@link DataManager#sortKey()}, so that two transactions reaching
 * the same storages lock them in the same order; then {@code tpcBegin} on all, {@code commit} on all,
 * {@code tpcVote} on all, {@code tpcFinish} on all. Any failure before every vote has returned is cleaned
 * up: {@code abort} on each data manager that has not voted, then {@code tpcAbort} on all. A failure in
 * {@code tpcFinish} is logged as the serious thing it is (data managers may disagree) and cleaned up the
 * same way. Synchronizers hear {@code afterCompletion} after a failed commit; the caller tells them after
 * a successful one.
 *
 * <p>Not thread-safe: used on the transaction's thread. One instance per transaction; {@link #voted} is the
 * data managers whose {@code tpcVote} returned in the current attempt.
 */
final class TwoPhaseCommit {
    private static final System.Logger LOG = System.getLogger(TwoPhaseCommit.class.getName());

    private final Transaction transaction;
    private final Set<DataManager> voted = Collections.newSetFromMap(new IdentityHashMap<>());

    TwoPhaseCommit(Transaction transaction) {
        this.transaction = transaction;
    }

    /**
     * Commits {@code resources}; on failure cleans up, tells the synchronizers and rethrows the failure. The
     * synchronizers told are the ones registered after the clean-up (asked of {@code synchronizers} then): one
     * that a data manager unregistered during the phases or the clean-up hears nothing more, one registered
     * meanwhile hears the end of the transaction.
     */
    void run(List<DataManager> resources, Supplier<List<Synchronizer>> synchronizers) {
        List<DataManager> ordered = new ArrayList<>(resources);
        voted.clear();
        try {
            Map<DataManager, String> keys = new IdentityHashMap<>();
            for (DataManager dm : ordered) {
                keys.put(dm, sortKeyOf(dm));
            }
            ordered.sort(Comparator.comparing(keys::get));
            for (DataManager dm : ordered) {
                dm.tpcBegin(transaction);
            }
            for (DataManager dm : ordered) {
                dm.commit(transaction);
            }
            for (DataManager dm : ordered) {
                dm.tpcVote(transaction);
                voted.add(dm);
            }
            try {
                for (DataManager dm : ordered) {
                    dm.tpcFinish(transaction);
                }
            } catch (Throwable t) {
                LOG.log(Level.ERROR, "a data manager failed in tpcFinish, the second phase of two-phase"
                        + " commit; data managers may be in an inconsistent state", t);
                throw t;
            }
        } catch (Throwable t) {
            try {
                cleanup(ordered, t);
            } finally {
                for (Synchronizer s : synchronizers.get()) {
                    try {
                        s.afterCompletion(transaction);
                    } catch (RuntimeException e) {
                        LOG.log(Level.ERROR, "synchronizer " + s + " failed in afterCompletion", e);
                        t.addSuppressed(e);
                    }
                }
            }
            throw t;
        }
    }

    /**
     * Abort on every data manager that has not voted, then tpcAbort on all; never throws: failures are
     * logged and added to {@code cause} as suppressed.
     */
    void cleanup(List<DataManager> dataManagers, Throwable cause) {
        for (DataManager dm : dataManagers) {
            if (!voted.contains(dm)) {
                try {
                    dm.abort(transaction);
                } catch (RuntimeException e) {
                    LOG.log(Level.ERROR, "data manager " + dm + " failed in abort", e);
                    cause.addSuppressed(e);
                }
            }
        }
        for (DataManager dm : dataManagers) {
            try {
                dm.tpcAbort(transaction);
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "data manager " + dm + " failed in tpcAbort", e);
                cause.addSuppressed(e);
            }
        }
    }

    /** Forgets which data managers voted: a savepoint's failure cleans up data managers none of which voted. */
    void forgetVotes() {
        voted.clear();
    }

    private static String sortKeyOf(DataManager dm) {
        return Objects.requireNonNull(dm.sortKey(), () -> "sortKey() of data manager " + dm + " returned null");
    }
}
