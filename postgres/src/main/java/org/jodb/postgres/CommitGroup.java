package org.jodb.postgres;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.jodb.spi.StorageException;

/**
 * Gathers the one-phase commits of one storage's threads into groups, each committed by one database transaction
 * ({@link GroupVote}: the commit lock once, one WAL flush for all). Leader and followers: a thread that finds no
 * group running leads one with every commit waiting then (itself first); commits that arrive meanwhile wait, and
 * when the group ends the oldest of them leads the next group with all of them. So one group of a storage is in
 * flight at a time, and the commits that queue behind it share the next one's flush. Safe for many threads.
 */
final class CommitGroup {
    /** Most members in one group (one message of that many calls). */
    static final int MAX_MEMBERS = 32;
    /** A group stops taking members once their records reach this many bytes (one message). */
    static final long MAX_BYTES = 8L << 20;

    private final GroupVote vote;
    private final ArrayDeque<GroupMember> waiting = new ArrayDeque<>();
    private boolean leading;

    CommitGroup(PostgresStorage storage) {
        this.vote = new GroupVote(storage);
    }

    /** Commits {@code member} in a group (leading it, or waiting for the thread that does) and returns its answer. */
    GroupMember.Answer commit(GroupMember member) {
        List<GroupMember> group;
        synchronized (this) {
            waiting.add(member);
            if (!leading) {
                leading = true;
                member.lead = true;
            }
            awaitTurn(member);
            if (member.answer != null) {
                return member.answer;
            }
            group = take();
        }
        List<GroupMember.Answer> answers;
        try {
            answers = vote.run(group);
        } catch (RuntimeException | Error e) {
            RuntimeException failure = e instanceof RuntimeException r ? r
                    : new StorageException("the commit of a group failed (nothing was committed): " + e, e);
            answers = group.stream().map(m -> GroupMember.Answer.failed(failure)).toList();
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

    /** The next group: the oldest waiting commits (the leader's first), within the bounds of one message. */
    private List<GroupMember> take() {
        List<GroupMember> group = new ArrayList<>();
        long bytes = 0;
        while (!waiting.isEmpty() && group.size() < MAX_MEMBERS
                && (group.isEmpty() || bytes + waiting.peek().bytes <= MAX_BYTES)) {
            GroupMember m = waiting.poll();
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
        GroupMember next = waiting.peek();
        if (next != null) {
            next.lead = true;
        } else {
            leading = false;
        }
        notifyAll();
    }
}
