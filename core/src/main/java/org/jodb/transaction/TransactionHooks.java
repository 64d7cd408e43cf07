package org.jodb.transaction;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The before/after-commit and before/after-abort hooks of one transaction, and how each kind runs.
 *
 * <p>Hooks run first added first, including hooks added while the list runs; a list is used up by its
 * run. A before-commit hook's failure propagates (the commit does not happen); after-commit and abort
 * hooks' failures are logged, and the abort hooks' first failure is handed back for abort to throw at the
 * end. Not thread-safe: used on the transaction's thread.
 */
final class TransactionHooks {
    private static final System.Logger LOG = System.getLogger(TransactionHooks.class.getName());

    final List<Runnable> beforeCommit = new ArrayList<>();
    final List<Consumer<Boolean>> afterCommit = new ArrayList<>();
    final List<Runnable> beforeAbort = new ArrayList<>();
    final List<Runnable> afterAbort = new ArrayList<>();

    /** Runs the before-commit hooks; the first failure propagates and the remaining hooks are dropped. */
    void runBeforeCommit() {
        try {
            for (int i = 0; i < beforeCommit.size(); i++) {
                beforeCommit.get(i).run();
            }
        } finally {
            beforeCommit.clear();
        }
    }

    /** Runs the after-commit hooks with the outcome; returns whether there were any. Never throws. */
    boolean runAfterCommit(boolean committed) {
        if (afterCommit.isEmpty()) {
            return false;
        }
        for (int i = 0; i < afterCommit.size(); i++) {
            try {
                afterCommit.get(i).accept(committed);
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "after-commit hook failed", e);
            }
        }
        afterCommit.clear();
        return true;
    }

    /** Runs the before-abort hooks, logging failures. Never throws. */
    void runBeforeAbort() {
        for (int i = 0; i < beforeAbort.size(); i++) {
            try {
                beforeAbort.get(i).run();
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "before-abort hook failed", e);
            }
        }
        beforeAbort.clear();
    }

    /**
     * Runs the after-abort hooks, logging failures; returns the first failure (or null). Whether any ran
     * is {@link #afterAbort} being non-empty before the call.
     */
    RuntimeException runAfterAbort() {
        RuntimeException first = null;
        for (int i = 0; i < afterAbort.size(); i++) {
            try {
                afterAbort.get(i).run();
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "after-abort hook failed", e);
                first = first == null ? e : first;
            }
        }
        afterAbort.clear();
        return first;
    }

    void clear() {
        beforeCommit.clear();
        afterCommit.clear();
        beforeAbort.clear();
        afterAbort.clear();
    }
}
