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
 * {@code tpcVote} on all, {@code tpcFinish} on all; a transaction with exactly one data manager calls its
 * {@code tpcVoteAndFinish} instead of the last two (one-phase commit: nothing else can fail between its vote and
 * its finish), and a failure there is cleaned up as a failed vote. Any failure before every vote has returned is cleaned
 * up: {@code abort} on each data manager that has not voted, then {@code tpcAbort} on all. A failure in
 * {@code tpcFinish} is cleaned up the same way (the data managers not yet finished abort), and the caller is
 * told the truth: when no data manager had finished, nothing is committed and the failure is rethrown as it is;
 * when some had, their changes stay committed, which is logged as the serious thing it is and thrown as a
 * {@link PartialCommitException} naming them. Synchronizers hear {@code afterCompletion} after a failed commit;
 * the caller tells them after a successful one.
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
            if (ordered.size() == 1) {
                // nothing else can fail between its vote and its finish: let it do both in one step
                ordered.get(0).tpcVoteAndFinish(transaction);
                return;
            }
            for (DataManager dm : ordered) {
                dm.tpcVote(transaction);
                voted.add(dm);
            }
            int finished = 0;
            try {
                for (DataManager dm : ordered) {
                    dm.tpcFinish(transaction);
                    finished++;
                }
            } catch (Throwable t) {
                if (finished > 0) {
                    throw partial(ordered, finished, t);
                }
                // nothing is committed: the data manager that failed threw its part away, the others abort below
                LOG.log(Level.WARNING, "data manager " + ordered.get(0) + " failed in tpcFinish before any other"
                        + " finished: nothing of the transaction is committed", t);
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

    /**
     * The failure of the {@code finished}-th data manager's {@code tpcFinish} after the ones before it finished:
     * what is committed and what is not, logged and thrown.
     */
    private static PartialCommitException partial(List<DataManager> ordered, int finished, Throwable t) {
        String message = "the commit is partial: " + ordered.subList(0, finished) + " finished (their changes are"
                + " committed and stay so), then " + ordered.get(finished) + " failed to finish (" + t + ")"
                + (finished + 1 < ordered.size() ? " and " + ordered.subList(finished + 1, ordered.size())
                + " were aborted" : "") + ". Abort the transaction and check what each of them holds before"
                + " redoing any of the work";
        LOG.log(Level.ERROR, message, t);
        return new PartialCommitException(message, t);
    }

    /** Forgets which data managers voted: a savepoint's failure cleans up data managers none of which voted. */
    void forgetVotes() {
        voted.clear();
    }

    private static String sortKeyOf(DataManager dm) {
        return Objects.requireNonNull(dm.sortKey(), () -> "sortKey() of data manager " + dm + " returned null");
    }
}
