package org.jodb.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;
import org.jodb.spi.CommitNotDoneException;
import org.jodb.spi.StorageException;

/**
 * The database work of one {@link CommitGroup}: several one-phase commits in one database transaction, without
 * PREPARE. One message calls the vote function once per member, in order, each asked to report its conflicts
 * rather than raise them: the first call takes the commit lock (the later ones hold it already), each member that
 * conflicts with the committed state (or with an earlier member) writes nothing and gets its conflicts back, the
 * others write their rows with consecutive tids. Then one COMMIT: one WAL flush for the group, and the
 * notifications the calls queued are delivered with it. A connection lost during COMMIT is settled once for the
 * group ({@link CommitSettlement}, by a writing member's commit id): all its members committed or none did, and
 * every member is told the same. The storage learns of the commits ({@link PostgresStorage#committed}) in tid
 * order before any member returns.
 */
final class GroupVote {
    private final PostgresStorage storage;

    GroupVote(PostgresStorage storage) {
        this.storage = storage;
    }

    /** Commits {@code group} and returns each member's answer, in the group's order. */
    List<GroupMember.Answer> run(List<GroupMember> group) {
        for (int attempt = 1; ; attempt++) {
            Connection c;
            try {
                c = storage.connections.take();
            } catch (SQLException e) {
                return everyone(group, () -> GroupMember.Answer.failed(
                        Failures.of(storage.name(), "connect to commit (nothing was committed)", e)));
            }
            boolean serverAnswered = false;
            int backendPid = 0;
            List<VoteCall.Outcome> outcomes;
            try {
                c.setAutoCommit(false);
                backendPid = storage.hooks.atVoteOn(c);
                serverAnswered = backendPid != 0;
                outcomes = callWaiting(c, group);
            } catch (SQLException e) {
                boolean lost = Failures.connectionLost(e);
                serverAnswered |= !lost;
                storage.connections.giveRolledBack(c, lost);
                if (lost && !serverAnswered && attempt == 1) {
                    continue; // a pooled connection the server ended while it was idle: once more on a new one
                }
                if (VoteFunction.REFERENCES_NEEDED.equals(e.getSQLState())) {
                    storage.references.learnedNeeded(); // the members' own votes name their references at once
                }
                if (!lost && (group.size() > 1 || VoteFunction.refusedReferences(e))) {
                    // possibly one member's doing (nothing was written): each commits on its own instead, where
                    // a refusal of references is told apart (PgTransaction)
                    return everyone(group, GroupMember.Answer::alone);
                }
                return everyone(group, () -> GroupMember.Answer.failed(
                        Failures.of(storage.name(), "vote (nothing was committed)", e)));
            } catch (RuntimeException | Error e) {
                storage.connections.giveRolledBack(c, false);
                throw e;
            }
            return commit(c, backendPid, group, outcomes);
        }
    }

    /** The calls, in one message; taken again while the commit lock's wait runs out (recovery runs between). */
    private List<VoteCall.Outcome> callWaiting(Connection c, List<GroupMember> group) throws SQLException {
        while (true) {
            try {
                return call(c, group);
            } catch (SQLException e) {
                if (!VoteCall.LOCK_TIMEOUT.equals(e.getSQLState())) {
                    throw e;
                }
                c.rollback();
                storage.recoverAbandoned();
            }
        }
    }

    private List<VoteCall.Outcome> call(Connection c, List<GroupMember> group) throws SQLException {
        String statement = String.join("; ", Collections.nCopies(group.size(), storage.sql.vote.call));
        try (PreparedStatement s = c.prepareStatement(statement)) {
            for (int i = 0; i < group.size(); i++) {
                GroupMember m = group.get(i);
                m.call.bind(c, s, 1 + i * VoteCall.PARAMETERS, m.commitId, true, storage.sql.channel);
            }
            s.execute();
            List<VoteCall.Outcome> outcomes = new ArrayList<>();
            for (int i = 0; i < group.size(); i++) {
                if (i > 0 && !s.getMoreResults()) {
                    throw new IllegalStateException("the vote function returned " + i + " results for " + group.size()
                            + " calls");
                }
                try (ResultSet rs = s.getResultSet()) {
                    outcomes.add(VoteCall.read(rs));
                }
            }
            return outcomes;
        }
    }

    /** COMMIT of the members that wrote (the others get their conflicts), settled if its connection fails. */
    private List<GroupMember.Answer> commit(Connection c, int backendPid, List<GroupMember> group,
                                            List<VoteCall.Outcome> outcomes) {
        int writer = -1;
        for (int i = 0; i < outcomes.size() && writer < 0; i++) {
            if (outcomes.get(i).conflicts().isEmpty()) {
                writer = i;
            }
        }
        List<GroupMember.Answer> answers = new ArrayList<>();
        for (VoteCall.Outcome o : outcomes) {
            answers.add(o.conflicts().isEmpty() ? GroupMember.Answer.committed(o.tid(), o.previousTid())
                    : GroupMember.Answer.conflicts(o.conflicts()));
        }
        if (writer < 0) {
            storage.connections.giveRolledBack(c, false); // rolls back: nothing was written
            return answers;
        }
        try {
            storage.hooks.beforeCommit(backendPid);
        } catch (RuntimeException e) {
            storage.connections.giveRolledBack(c, false); // rolls back: nothing committed
            throw e;
        }
        try {
            c.commit();
            c.setAutoCommit(true);
        } catch (SQLException e) {
            storage.connections.give(c, true);
            long tid = outcomes.get(writer).tid();
            boolean committed;
            try {
                committed = CommitSettlement.settle(storage, tid, group.get(writer).commitId, null, e);
            } catch (StorageException unknown) {
                // the storage closed itself: each member says so in a failure of its own (they are thrown on
                // different threads)
                return everyone(group, () -> GroupMember.Answer.failed(new StorageException(unknown.getMessage(),
                        unknown)));
            }
            if (!committed) {
                List<GroupMember.Answer> notDone = new ArrayList<>();
                for (int i = 0; i < group.size(); i++) {
                    notDone.add(GroupMember.Answer.failed(new CommitNotDoneException("transaction "
                            + (answers.get(i).outcome() == GroupMember.Outcome.COMMITTED ? answers.get(i).tid() + " "
                            : "") + "did not commit in storage " + storage.name() + ": the connection failed as its"
                            + " group of commits committed (" + e.getMessage() + ") and the server holds nothing of"
                            + " it. Nothing was stored; run the transaction again.", e)));
                }
                return notDone;
            }
            published(group, outcomes);
            VoteCall.Outcome last = outcomes.get(lastWriter(outcomes));
            storage.notifyCommitted(last.tid(), last.previousTid(), null); // its own went with its COMMIT, if any
            return answers;
        }
        published(group, outcomes);
        try {
            storage.hooks.afterCommit(backendPid);
        } catch (RuntimeException e) {
            // the group committed: a failing hook changes nothing of what the members are told
        }
        storage.connections.give(c, false);
        return answers;
    }

    /** The storage's own-commit log learns of the members that committed, in tid order (the group's order). */
    private void published(List<GroupMember> group, List<VoteCall.Outcome> outcomes) {
        for (int i = 0; i < group.size(); i++) {
            VoteCall.Outcome o = outcomes.get(i);
            if (o.conflicts().isEmpty()) {
                storage.committed(o.tid(), o.previousTid(), group.get(i).written);
            }
        }
    }

    private static int lastWriter(List<VoteCall.Outcome> outcomes) {
        for (int i = outcomes.size() - 1; ; i--) {
            if (outcomes.get(i).conflicts().isEmpty()) {
                return i;
            }
        }
    }

    /** An answer for each member, each its own (a failure is thrown on the member's thread). */
    private static List<GroupMember.Answer> everyone(List<GroupMember> group, Supplier<GroupMember.Answer> answer) {
        List<GroupMember.Answer> answers = new ArrayList<>();
        for (int i = 0; i < group.size(); i++) {
            answers.add(answer.get());
        }
        return answers;
    }
}
