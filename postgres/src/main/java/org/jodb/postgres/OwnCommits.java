package org.jodb.postgres;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jodb.spi.Changes;
import org.jodb.spi.CommittedTransaction;

/**
 * What a storage knows of the commits around its views without asking the server: the recent commits of its
 * own threads, and those of other processes whose notifications named the oids they wrote and the tid before
 * them, each with its oids, and the newest tid that may belong to a commit not in that log. A view's poll answers
 * from the log when every commit after its snapshot is in it; otherwise it asks the server once.
 *
 * <p>Why that is enough: commits are serialised by the commit lock, and each vote reads the previous commit's
 * tid before it picks its own. A commit missing from the log between a view's snapshot and a logged commit
 * therefore shows up as the previous tid of the first logged commit after it, which is not in the log, and
 * makes the next poll ask. Commits after the newest logged one are heard from the listener (notifications, its
 * guard query) or from reads, as before.
 *
 * <p>A tid heard that is not (yet) known as an own commit waits to be judged until the next poll: an own
 * commit's notification can arrive before its committing thread records it, and is then no reason to ask the
 * server. The log keeps the newest {@value #MAX_OIDS} oids' worth of commits; a view whose snapshot is older
 * than what it dropped asks the server. Safe for many threads.
 *
 * <p>A tid learned another way than from the listener (the previous tid a vote returned, a read of the last tid)
 * is usually another process's commit whose notification is on its way: that process's COMMIT released the
 * commit lock before this storage's vote could read its tid, and the server queued the notification at that
 * COMMIT. A poll may wait a little for the listener to announce it ({@link #since(long, long)}), which costs no
 * round trip and, when the notification carries the records, fills the record cache too. The vote function's
 * notifications come in commit order, so once the listener announced a tid, every earlier one was announced or
 * was a prepared commit's, whose notification its storage sends later, on another connection: the wait then
 * ends early, or runs out, and the poll asks. The wait is only a saving: a tid still
 * unexplained when it ends makes the poll ask the server, as before.
 */
final class OwnCommits {
    /** Oids kept in the log, over all its commits; older commits are dropped first. */
    static final int MAX_OIDS = 200_000;
    /** Heard tids waiting to be judged before they are judged at once (a storage whose views never poll). */
    private static final int MAX_PENDING = 10_000;

    private final NavigableMap<Long, long[]> log = new TreeMap<>();
    private int oidsInLog;
    /** The newest own commit dropped from the log (a view at or after it finds every later own commit in it). */
    private long droppedThrough = Long.MIN_VALUE;
    /** The newest tid known to be committed that is not an own commit in the log: a view before it must ask. */
    private long othersThrough = Long.MIN_VALUE;
    /** Tids heard as committed, not yet judged own or another's. */
    private final TreeSet<Long> pending = new TreeSet<>();
    /** The newest tid the listener announced (the vote function's notifications come in commit order). */
    private long announcedThrough = Long.MIN_VALUE;
    /** Polls waiting in {@link #since(long, long)}. */
    private int waiting;
    /**
     * The tid the last wait that ran out was waiting for: until the listener announces it (or a later one), polls
     * do not wait, so that a listener whose notifications do not come (a pooler that does not pass them on) costs
     * one wait, not one per transaction.
     */
    private long gaveUpOn = Long.MIN_VALUE;

    /**
     * This storage committed {@code tid}, writing {@code oids}; {@code previousTid} was the newest committed tid
     * when its vote chose {@code tid} (every commit between the two is then known: there is none). {@code oids}
     * is null when the commit does not know them in memory (its records were staged on the server): a view
     * before it then asks the server, as for a commit this log dropped.
     */
    synchronized void committed(long tid, long previousTid, long[] oids) {
        heardLocked(previousTid);
        if (log.containsKey(tid)) {
            return; // its notification told it first, with the same oids
        }
        if (oids == null || oids.length > MAX_OIDS) {
            droppedThrough = Math.max(droppedThrough, tid);
        } else {
            log.put(tid, oids.clone());
            oidsInLog += oids.length;
        }
        pending.remove(tid);
        if (waiting > 0) {
            notifyAll(); // a waiting poll's tid may be this one, learned from another thread's vote
        }
        while (oidsInLog > MAX_OIDS) {
            Map.Entry<Long, long[]> oldest = log.pollFirstEntry();
            oidsInLog -= oldest.getValue().length;
            droppedThrough = Math.max(droppedThrough, oldest.getKey());
        }
    }

    /**
     * A notification said that {@code tid} committed writing {@code oids}, right after {@code previousTid}: a
     * commit of another process (or this storage's own, heard before its thread records it), logged as an own
     * commit is, so that a view's poll reports it without asking the server.
     */
    synchronized void heardCommit(long tid, long previousTid, long[] oids) {
        committed(tid, previousTid, oids);
        announcedLocked(tid);
    }

    /** The listener announced {@code tid} without its oids (a large commit, or the last tid when it connected). */
    synchronized void announced(long tid) {
        heard(tid);
        announcedLocked(tid);
    }

    private void announcedLocked(long tid) {
        if (tid > announcedThrough) {
            announcedThrough = tid;
            if (waiting > 0) {
                notifyAll();
            }
        }
    }

    /** {@code tid} is committed, by this storage or another process (a notification, a read of the last tid). */
    synchronized void heard(long tid) {
        heardLocked(tid);
        if (pending.size() > MAX_PENDING) {
            judge();
        }
    }

    private void heardLocked(long tid) {
        if (tid > othersThrough && !log.containsKey(tid)) {
            pending.add(tid);
        }
    }

    /**
     * What a poll from {@code snapshot} finds, when only own commits can lie after it: the own commits after
     * it, the newest becoming the new snapshot. {@code null} when a commit of another process may lie after it
     * (or an own commit this log dropped): the poll must then ask the server.
     */
    synchronized Changes since(long snapshot) {
        return since(snapshot, 0);
    }

    /**
     * {@link #since(long)}, after waiting up to {@code waitNanos} for the listener to announce the tids after
     * {@code snapshot} that were learned another way: their notifications are usually on their way, and an
     * announced commit of another process that named its oids needs no question to the server. Call it only while
     * the listener is live (else nothing will be announced, and the wait is lost).
     */
    synchronized Changes since(long snapshot, long waitNanos) {
        awaitAnnouncements(snapshot, waitNanos);
        judge();
        if (othersThrough > snapshot || droppedThrough > snapshot) {
            return null;
        }
        List<CommittedTransaction> after = new ArrayList<>();
        for (Map.Entry<Long, long[]> e : log.tailMap(snapshot, false).entrySet()) {
            after.add(new CommittedTransaction(e.getKey(), e.getValue().clone()));
        }
        if (after.isEmpty()) {
            return Changes.none(snapshot);
        }
        return new Changes(after.get(after.size() - 1).tid(), after, true);
    }

    private void awaitAnnouncements(long snapshot, long waitNanos) {
        if (waitNanos <= 0 || announcedThrough < gaveUpOn) {
            return; // the listener has not even announced the tid the last wait gave up on: announcements are late
        }
        long deadline = System.nanoTime() + waitNanos;
        long unexplained;
        while ((unexplained = newestUnexplained(snapshot)) > announcedThrough) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                gaveUpOn = unexplained;
                return;
            }
            waiting++;
            try {
                wait(left / 1_000_000, (int) (left % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the poll asks the server instead; the caller sees the flag
                return;
            } finally {
                waiting--;
            }
        }
    }

    /** The newest pending tid after {@code snapshot} that is not in the log, or {@code Long.MIN_VALUE}. */
    private long newestUnexplained(long snapshot) {
        for (Long tid : pending.descendingSet()) {
            if (tid <= snapshot) {
                break;
            }
            if (!log.containsKey(tid)) {
                return tid;
            }
        }
        return Long.MIN_VALUE;
    }

    /** Every pending tid that is not an own commit by now belongs to another process (or may: it is unknown). */
    private void judge() {
        for (Iterator<Long> it = pending.iterator(); it.hasNext(); ) {
            long tid = it.next();
            if (!log.containsKey(tid)) {
                othersThrough = Math.max(othersThrough, tid);
            }
            it.remove();
        }
    }
}
