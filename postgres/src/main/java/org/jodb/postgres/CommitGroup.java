package org.jodb.postgres;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.jodb.spi.StorageException;

/**
 * Gathers the one-phase commits of one storage's threads into groups, each committed by one database transaction
 * ({@link GroupVote}: the commit lock once, one WAL flush for all). Leader and followers: a thread that finds no
 * group of its storage in flight leads one at once, with every commit waiting then (itself first); commits that
 * arrive while a group is in flight wait, and when it ends the oldest of them leads the next group with all of
 * them (up to {@value #MAX_MEMBERS}). So the commits that queue behind a group share the next one's flush. Groups
 * of other processes wait for the commit lock on the server meanwhile. Safe for many threads.
 */
final class CommitGroup {
    /** Most members in one group (one message of that many calls). */
    static final int MAX_MEMBERS = 32;
    /** A group stops taking members once their records reach this many bytes (one message). */
    static final long MAX_BYTES = 8L << 20;
    /**
     * Groups of one storage in flight at once. Two (the second waiting for the commit lock on the server) made
     * groups smaller, with more WAL flushes per commit, and no faster in the bench.
     */
    static final int IN_FLIGHT = 1;

    private final GroupVote vote;
    private final ArrayDeque<GroupMember> waiting = new ArrayDeque<>();
    /** Groups of this storage in flight (their leaders have taken them). */
    private int leaders;

    CommitGroup(PostgresStorage storage) {
        this.vote = new GroupVote(storage);
    }

    /** Commits {@code member} in a group (leading it, or waiting for the thread that does) and returns its answer. */
    GroupMember.Answer commit(GroupMember member) {
        List<GroupMember> group;
        synchronized (this) {
            waiting.add(member);
            if (leaders < IN_FLIGHT) {
                leaders++;
                member.lead = true;
            }
            awaitTurn(member);
            if (member.answer != null) {
                return member.answer;
            }
            group = take(member);
        }
        List<GroupMember.Answer> answers;
        try {
            answers = vote.run(group);
        } catch (RuntimeException | Error e) {
            // the leader throws e; each other member a failure of its own, on its own thread
            answers = group.stream().map(m -> GroupMember.Answer.failed(m == member && e instanceof RuntimeException r
                    ? r : new StorageException("the commit of its group failed (nothing was committed): " + e, e)))
                    .toList();
            handOver(group, answers);
            throw e;
        }
        handOver(group, answers);
        return member.answer;
    }

    /** Commits waiting for a group (for the tests, which gather a group of a known size). */
    synchronized int waiting() {
        return waiting.size();
    }

    /** Waits, without giving up on an interrupt (the member must learn its outcome), for an answer or the lead. */
    private void awaitTurn(GroupMember member) {
        boolean interrupted = false;
        while (member.answer == null && !member.lead) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The next group: the leader's commit first, then the oldest waiting ones, within the bounds of one message. */
    private List<GroupMember> take(GroupMember leader) {
        waiting.remove(leader);
        List<GroupMember> group = new ArrayList<>();
        group.add(leader);
        long bytes = leader.bytes;
        for (Iterator<GroupMember> it = waiting.iterator(); it.hasNext() && group.size() < MAX_MEMBERS; ) {
            GroupMember m = it.next();
            if (m.lead || bytes + m.bytes > MAX_BYTES) {
                continue; // a commit already named to lead the next group leads it
            }
            it.remove();
            bytes += m.bytes;
            group.add(m);
        }
        return group;
    }

    /** The group ended: gives each member its answer, wakes them, and the oldest waiting commit leads next. */
    private synchronized void handOver(List<GroupMember> group, List<GroupMember.Answer> answers) {
        for (int i = 0; i < group.size(); i++) {
            group.get(i).answer = answers.get(i);
        }
        GroupMember next = null;
        for (GroupMember m : waiting) {
            if (!m.lead) {
                next = m;
                break;
            }
        }
        if (next != null) {
            next.lead = true; // this group's place in flight passes to it
        } else {
            leaders--;
        }
        notifyAll();
    }
}
