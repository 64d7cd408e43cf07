package org.jodb.postgres;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jodb.spi.CommitNotDoneException;
import org.jodb.spi.ConflictResolver;
import org.jodb.spi.OnePhaseOutcome;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageConflictException;
import org.jodb.spi.StorageException;
import org.jodb.spi.StorageTransaction;
import org.jodb.spi.StorageUnavailableException;
import org.jodb.spi.TransactionInfo;
import org.jodb.spi.TransactionMetadata;
import org.postgresql.util.PSQLException;

/**
 * One two-phase commit on PostgreSQL. Nothing touches the server before vote, unless the transaction outgrows
 * the client's bound ({@link HeldRecords}: its records are then sent ahead to a staging table). Vote is one
 * round trip in the common case: on a pooled connection, one call of the schema's vote function ({@link
 * VoteFunction}) takes the commit lock, chooses the tid, checks conflicts and writes the rows and the
 * transaction's row (with a random commit id), followed in the same round trip by PREPARE TRANSACTION when the
 * server allows it: everything that can fail has then happened. A conflict costs more round trips: the function
 * is asked again for the conflicting revisions, the resolver merges them, and the merged records are written.
 * Finish is COMMIT PREPARED (or COMMIT); if the connection fails there, {@link CommitSettlement} finds out
 * whether the transaction committed before finish returns or throws. Abort rolls back whatever vote left and
 * removes what was staged. {@link #voteAndFinish} (a one-phase commit) usually takes neither path: it commits in a
 * group with other threads' one-phase commits ({@link CommitGroup}).
 */
final class PgTransaction implements StorageTransaction {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Groups a one-phase commit whose records conflict tries, merging between them, before it votes alone. */
    static final int GROUP_ROUNDS = 3;

    private enum State { OPEN, VOTED, ENDED }

    private final PostgresStorage storage;
    private final TransactionMetadata metadata;
    private final ConflictResolver resolver;
    /** The transaction being copied from another storage, or null for an ordinary commit. */
    private final TransactionInfo copied;
    private final HeldRecords records;
    private final Map<Long, Long> readChecks = new HashMap<>();
    private final VoteCall call;
    private State state = State.OPEN;
    private Connection connection;
    private int backendPid;
    private long tid;
    /** The newest committed tid when vote chose {@link #tid} (for the storage's in-process invalidations). */
    private long previousTid;
    private long commitId;
    /** The prepared transaction's id, or null when the commit runs without PREPARE. */
    private String gid;
    /** Whether the server answered a statement of the current vote attempt (its connection was alive then). */
    private boolean serverAnswered;
    /** Whether this transaction commits in one phase (nothing else can abort it after its vote): no PREPARE. */
    private boolean onePhase;

    PgTransaction(PostgresStorage storage, TransactionMetadata metadata, ConflictResolver resolver,
                  TransactionInfo copied) {
        this.storage = storage;
        this.metadata = metadata == null ? new TransactionMetadata("", "") : metadata;
        this.resolver = resolver == null ? ConflictResolver.NONE : resolver;
        this.copied = copied;
        this.records = new HeldRecords(storage, copied == null);
        this.call = new VoteCall(storage, records, readChecks, this.metadata, copied);
    }

    @Override
    public void store(long oid, long serial, byte[] bytes) {
        require(state == State.OPEN, "store after vote or end of the transaction");
        records.add(oid, serial, bytes);
    }

    @Override
    public void checkCurrent(long oid, long serial) {
        if (copied != null) {
            throw new IllegalStateException("a copied transaction is written as it was committed: it checks nothing"
                    + " (storage " + storage.name() + ")");
        }
        require(state == State.OPEN, "checkCurrent after vote or end of the transaction");
        readChecks.put(oid, serial);
    }

    @Override
    public long[] vote() {
        require(state == State.OPEN, "vote twice or after the end of the transaction");
        if (storage.votedOnThisThread.get() != null) {
            throw new IllegalStateException("another transaction of storage " + storage.name() + " voted on this"
                    + " thread and has not finished or aborted: finish or abort it before the next one votes (one"
                    + " storage, one transaction between vote and finish per thread)");
        }
        storage.checkOpen();
        if (records.staged()) {
            records.sendAhead(); // the rest too: vote then reads every record from the stage
        }
        boolean namedReferences = false;
        for (int attempt = 1; ; attempt++) {
            Connection c;
            try {
                c = storage.connections.take();
            } catch (SQLException e) {
                throw Failures.of(storage.name(), "connect to vote (nothing was committed)", e);
            }
            commitId = RANDOM.nextLong();
            gid = storage.prepares && !onePhase ? PreparedTransactions.gid(storage.schema, storage.owner, commitId)
                    : null;
            serverAnswered = false;
            boolean prepareSent = false;
            try {
                c.setAutoCommit(false);
                backendPid = storage.hooks.atVoteOn(c);
                serverAnswered = backendPid != 0;
                // a copy raises the oid sequence before it prepares, so it does not batch PREPARE
                String batched = gid != null && copied == null ? gid : null;
                prepareSent = batched != null;
                long[] resolved = voteOn(c, batched);
                if (copied != null) {
                    storage.raiseOidSequence(c, records.maxOid());
                }
                if (gid != null && batched == null) {
                    prepareSent = true;
                    PreparedTransactions.prepare(c, gid);
                }
                if (gid != null) {
                    c.setAutoCommit(true); // the prepared transaction has ended on this connection: no round trip
                }
                connection = c;
                state = State.VOTED;
                storage.votedOnThisThread.set(this);
                return resolved;
            } catch (SQLException e) {
                boolean lost = Failures.connectionLost(e);
                failVote(c, prepareSent && lost, lost);
                if (lost && !serverAnswered && attempt == 1) {
                    continue; // a pooled connection the server ended while it was idle: once more on a new one
                }
                if (VoteFunction.REFERENCES_NEEDED.equals(e.getSQLState()) && !namedReferences) {
                    // another process's pack removed objects since this storage last knew: name the references
                    storage.references.learnedNeeded();
                    namedReferences = true;
                    attempt--; // not an attempt on a connection: a dead pooled one met next is still replaced
                    continue;
                }
                records.drop();
                throw voteFailure(e);
            } catch (RuntimeException | Error e) {
                failVote(c, false, false);
                records.drop();
                throw e;
            }
        }
    }

    /**
     * Runs the vote function on {@code c} (in a new database transaction) until it has written the records:
     * once when nothing conflicts; otherwise it asks for the conflicts, resolves them, and calls it again in
     * the same database transaction (which holds the commit lock: nothing can change in between). PREPARE
     * rides with the call that writes when {@code batchedGid} is given.
     *
     * @return the oids whose records the resolver merged
     */
    private long[] voteOn(Connection c, String batchedGid) throws SQLException {
        String channel = gid != null ? null : storage.sql.channel; // delivered at COMMIT, with the commit
        try {
            VoteCall.Outcome written = callWaiting(c, false, channel, batchedGid);
            tid = written.tid();
            previousTid = written.previousTid();
            return new long[0];
        } catch (SQLException e) {
            if (!VoteFunction.CONFLICT.equals(e.getSQLState())) {
                throw e;
            }
            c.rollback(); // the function wrote nothing: ask again, for the revisions to resolve
        }
        VoteCall.Outcome reported = callWaiting(c, true, channel, null);
        long[] resolved = new long[0];
        if (!reported.conflicts().isEmpty()) {
            resolved = resolve(c, reported.conflicts());
            reported = callWaiting(c, false, channel, null);
        }
        tid = reported.tid();
        previousTid = reported.previousTid();
        if (batchedGid != null) {
            PreparedTransactions.prepare(c, batchedGid);
        }
        return resolved;
    }

    /** One call, taken again while the commit lock's wait runs out (abandoned prepared transactions may hold it). */
    private VoteCall.Outcome callWaiting(Connection c, boolean report, String channel, String batchedGid)
            throws SQLException {
        while (true) {
            try {
                VoteCall.Outcome outcome = call.run(c, commitId, report, channel, batchedGid);
                serverAnswered = true;
                return outcome;
            } catch (SQLException e) {
                serverAnswered |= !Failures.connectionLost(e);
                if (!VoteCall.LOCK_TIMEOUT.equals(e.getSQLState())) {
                    throw e;
                }
                c.rollback();
                storage.recoverAbandoned();
            }
        }
    }

    /**
     * Merges each write conflict through the resolver (the first that cannot be merged fails the vote, as does
     * any read conflict) and puts the merged records in place of the transaction's, with the committed tid as
     * their serial.
     */
    private long[] resolve(Connection c, List<VoteCall.Conflict> conflicts) throws SQLException {
        Map<Long, Long> mergedSerials = new HashMap<>();
        Map<Long, byte[]> merged = merge(conflicts, mergedSerials);
        if (records.staged()) {
            records.stageOn(c, merged, mergedSerials);
        } else {
            merged.forEach((oid, bytes) -> records.replace(oid, mergedSerials.get(oid), bytes));
        }
        return merged.keySet().stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * The resolver's merge of each write conflict, with the committed tid as its serial in {@code mergedSerials};
     * the first conflict that cannot be merged fails, as does any read conflict.
     */
    private Map<Long, byte[]> merge(List<VoteCall.Conflict> conflicts, Map<Long, Long> mergedSerials) {
        Map<Long, byte[]> merged = new LinkedHashMap<>();
        for (VoteCall.Conflict k : conflicts) {
            if (k.readCheck()) {
                continue;
            }
            byte[] bytes = k.serial() == Storage.NO_TID || k.committed() == Storage.NO_TID ? null
                    : resolver.resolve(k.oid(), k.readData(), k.committedData(), k.ownData());
            if (bytes == null) {
                throw new StorageConflictException(k.oid(), k.serial(), k.committed(), false);
            }
            merged.put(k.oid(), bytes);
            mergedSerials.put(k.oid(), k.committed());
        }
        for (VoteCall.Conflict k : conflicts) {
            if (k.readCheck()) {
                throw new StorageConflictException(k.oid(), k.serial(), k.committed(), true);
            }
        }
        return merged; // the vote that writes them names their references
    }

    private StorageException voteFailure(SQLException e) {
        if (VoteFunction.COPY_TOO_OLD.equals(e.getSQLState())) {
            return new StorageException("cannot copy transaction " + copied.tid() + " into storage " + storage.name()
                    + ": " + serverText(e) + ", and a copied transaction must come after it (copy into an empty"
                    + " storage, oldest transaction first)", e);
        }
        if (VoteFunction.REFERS_TO_REMOVED.equals(e.getSQLState())) {
            return call.danglingReference(serverText(e), e);
        }
        if (VoteFunction.STAGED_LOST.equals(e.getSQLState())) {
            return new StorageUnavailableException("storage " + storage.name() + " could not vote (nothing was"
                    + " committed): " + serverText(e) + ": they were lost (a restart of the server empties the"
                    + " staging table). Run the transaction again.", e);
        }
        return Failures.of(storage.name(), "vote (nothing was committed)", e);
    }

    private static String serverText(SQLException e) {
        if (e instanceof PSQLException p && p.getServerErrorMessage() != null
                && p.getServerErrorMessage().getMessage() != null) {
            return p.getServerErrorMessage().getMessage();
        }
        return e.getMessage();
    }

    /** Gives back vote's connection after a failure; a PREPARE that may have reached the server is undone. */
    private void failVote(Connection c, boolean prepareMayHaveRun, boolean broken) {
        storage.connections.giveRolledBack(c, broken);
        if (prepareMayHaveRun) {
            storage.rollbackPrepared(gid);
        }
    }

    @Override
    public long finish() {
        require(state == State.VOTED, "finish without a successful vote");
        Connection c = connection;
        connection = null;
        state = State.ENDED;
        storage.votedOnThisThread.remove();
        try {
            storage.hooks.beforeCommit(backendPid);
            if (gid != null) {
                PreparedTransactions.commit(c, gid);
            } else {
                c.commit();
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            storage.connections.give(c, true);
            if (!CommitSettlement.settle(storage, tid, commitId, gid, e)) {
                records.drop();
                throw new CommitNotDoneException("transaction " + tid + " did not commit in storage " + storage.name()
                        + ": the connection failed as it committed (" + e.getMessage() + ") and the server holds"
                        + " nothing of it. Nothing was stored; run the transaction again.", e);
            }
            storage.committed(tid, previousTid, written());
            storage.notifyCommitted(tid, previousTid, written());
            return tid;
        }
        storage.committed(tid, previousTid, written());
        storage.hooks.afterCommit(backendPid);
        storage.connections.give(c, false);
        if (gid != null) {
            // a prepared transaction could not notify itself: off this thread, as the vote function would have
            storage.notifyCommitted(tid, previousTid, written());
        }
        return tid;
    }

    /**
     * Commits in one step, in a group with other threads' one-phase commits ({@link CommitGroup}): one database
     * transaction without PREPARE for the whole group. A member that conflicts writes nothing: the resolver merges
     * what it can here, on this thread, and the merged records go to the next group (after {@value
     * #GROUP_ROUNDS} rounds, or when the group failed for a reason a member may have caused, the transaction votes
     * alone, resolving under the commit lock, and commits without PREPARE). A copy, a transaction whose records
     * were sent ahead, and a thread with another transaction of this storage between vote and finish take the
     * two-phase path.
     */
    @Override
    public OnePhaseOutcome voteAndFinish() {
        require(state == State.OPEN, "vote twice or after the end of the transaction");
        if (copied != null || records.staged() || storage.votedOnThisThread.get() != null) {
            return StorageTransaction.super.voteAndFinish();
        }
        storage.checkOpen();
        onePhase = true;
        Set<Long> resolved = new LinkedHashSet<>();
        for (int round = 1; round <= GROUP_ROUNDS; round++) {
            GroupMember.Answer answer;
            try {
                answer = storage.commitGroup.commit(new GroupMember(call, RANDOM.nextLong(), written(),
                        records.heldBytes()));
            } catch (RuntimeException | Error e) {
                records.drop();
                throw e;
            }
            switch (answer.outcome()) {
                case COMMITTED -> {
                    tid = answer.tid();
                    state = State.ENDED;
                    return new OnePhaseOutcome(tid, resolved.stream().mapToLong(Long::longValue).toArray());
                }
                case FAILED -> {
                    records.drop();
                    state = State.ENDED;
                    throw answer.failure();
                }
                case ALONE -> round = GROUP_ROUNDS;
                case CONFLICTS -> {
                    Map<Long, Long> mergedSerials = new HashMap<>();
                    Map<Long, byte[]> merged;
                    try {
                        merged = merge(answer.conflicts(), mergedSerials);
                    } catch (RuntimeException e) {
                        records.drop();
                        throw e;
                    }
                    merged.forEach((oid, bytes) -> records.replace(oid, mergedSerials.get(oid), bytes));
                    resolved.addAll(merged.keySet());
                }
            }
        }
        long[] more = vote();
        long alone = finish();
        for (long oid : more) {
            resolved.add(oid);
        }
        return new OnePhaseOutcome(alone, resolved.stream().mapToLong(Long::longValue).toArray());
    }

    @Override
    public void abort() {
        if (state == State.VOTED) {
            storage.votedOnThisThread.remove();
            Connection c = connection;
            connection = null;
            boolean broken = false;
            try {
                if (gid != null) {
                    PreparedTransactions.rollback(c, gid);
                } else {
                    c.rollback();
                    c.setAutoCommit(true);
                }
            } catch (SQLException e) {
                broken = true;
                if (gid != null) {
                    storage.rollbackPrepared(gid);
                }
            }
            storage.connections.give(c, broken);
        }
        if (state != State.ENDED) {
            records.drop(); // a rolled-back vote gave the staged records back to the stage
        }
        state = State.ENDED;
    }

    /** The records this transaction wrote, by oid, or null when they were staged on the server (not all in memory). */
    private Map<Long, byte[]> written() {
        return records.staged() ? null : records.data();
    }

    private void require(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException(what + " (storage " + storage.name() + ")");
        }
    }
}
