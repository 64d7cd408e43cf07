package org.jodb.postgres;

import java.security.SecureRandom;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jodb.spi.CommitNotDoneException;
import org.jodb.spi.ConflictResolver;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageConflictException;
import org.jodb.spi.StorageException;
import org.jodb.spi.StorageTransaction;
import org.jodb.spi.TransactionInfo;
import org.jodb.spi.TransactionMetadata;

/**
 * One two-phase commit on PostgreSQL. Nothing touches the server before vote. Vote takes a pooled connection,
 * opens a database transaction, takes the commit lock, chooses the tid, checks conflicts, writes the rows and
 * the transaction's row (with a random commit id), and ends with PREPARE TRANSACTION when the server allows
 * it: everything that can fail has then happened. Finish is COMMIT PREPARED (or COMMIT); if the connection
 * fails there, {@link CommitSettlement} finds out whether the transaction committed before finish returns
 * or throws. Abort rolls back whatever vote left.
 */
final class PgTransaction implements StorageTransaction {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Rows per JDBC batch when writing. */
    private static final int WRITE_BATCH = 1_000;

    private enum State { OPEN, VOTED, ENDED }

    private final PostgresStorage storage;
    private final TransactionMetadata metadata;
    private final ConflictResolver resolver;
    /** The transaction being copied from another storage, or null for an ordinary commit. */
    private final TransactionInfo copied;
    private final Map<Long, Long> serials = new LinkedHashMap<>();
    private final Map<Long, byte[]> data = new LinkedHashMap<>();
    private final Map<Long, Long> readChecks = new HashMap<>();
    private State state = State.OPEN;
    private Connection connection;
    private int backendPid;
    private long tid;
    /** The newest committed tid when vote chose {@link #tid} (for the storage's in-process invalidations). */
    private long previousTid;
    private long commitId;
    /** The prepared transaction's id, or null when the commit runs without PREPARE. */
    private String gid;

    PgTransaction(PostgresStorage storage, TransactionMetadata metadata, ConflictResolver resolver,
                  TransactionInfo copied) {
        this.storage = storage;
        this.metadata = metadata == null ? new TransactionMetadata("", "") : metadata;
        this.resolver = resolver == null ? ConflictResolver.NONE : resolver;
        this.copied = copied;
    }

    @Override
    public void store(long oid, long serial, byte[] bytes) {
        require(state == State.OPEN, "store after vote or end of the transaction");
        serials.put(oid, serial);
        data.put(oid, bytes.clone());
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
        Connection c = lockedConnection();
        boolean prepared = false;
        try {
            long last = storage.reads.lastTid(c);
            previousTid = last;
            if (copied != null) {
                if (copied.tid() <= last) {
                    throw new StorageException("cannot copy transaction " + copied.tid() + " into storage "
                            + storage.name() + ": its last transaction is " + last + ", and a copied transaction"
                            + " must come after it (copy into an empty storage, oldest transaction first)");
                }
                tid = copied.tid();
            } else {
                tid = Math.max(last + 1, System.currentTimeMillis() << 20);
            }
            long[] resolved = copied == null ? checkConflicts(c) : new long[0];
            if (copied == null) {
                storage.checkReferences(data);
            }
            writeRows(c);
            commitId = RANDOM.nextLong();
            writeTransaction(c);
            if (copied != null) {
                storage.raiseOidSequence(c, data.keySet().stream().mapToLong(Long::longValue).max().orElse(0));
            }
            storage.hooks.atVote(backendPid);
            if (storage.prepares) {
                gid = PreparedTransactions.gid(storage.schema, storage.owner, tid, commitId);
                prepared = true;
                PreparedTransactions.prepare(c, gid);
                c.setAutoCommit(true);
            } else {
                notify(c); // delivered at COMMIT, with the commit
            }
            connection = c;
            state = State.VOTED;
            storage.votedOnThisThread.set(this);
            return resolved;
        } catch (SQLException e) {
            failVote(c, prepared, Failures.connectionLost(e));
            throw Failures.of(storage.name(), "vote (nothing was committed)", e);
        } catch (RuntimeException | Error e) {
            failVote(c, prepared, false);
            throw e;
        }
    }

    /**
     * A connection in a new database transaction that holds the commit lock. A pooled connection the server
     * ended while idle fails at the first statement, before anything is written: then a new one is taken.
     */
    private Connection lockedConnection() {
        for (int attempt = 1; ; attempt++) {
            Connection c;
            try {
                c = storage.connections.take();
            } catch (SQLException e) {
                throw Failures.of(storage.name(), "connect to vote (nothing was committed)", e);
            }
            try {
                c.setAutoCommit(false);
                if (storage.hooks.active()) {
                    backendPid = backendPid(c);
                }
                storage.commitLock(c);
                return c;
            } catch (SQLException e) {
                boolean lost = Failures.connectionLost(e);
                failVote(c, false, lost);
                if (!lost || attempt == 2) {
                    throw Failures.of(storage.name(), "vote (nothing was committed)", e);
                }
            } catch (RuntimeException | Error e) {
                failVote(c, false, false);
                throw e;
            }
        }
    }

    /** Gives back vote's connection after a failure; a PREPARE that may have reached the server is undone. */
    private void failVote(Connection c, boolean prepareSent, boolean broken) {
        boolean lost = broken;
        try {
            if (!lost && !c.getAutoCommit()) {
                c.rollback();
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            lost = true;
        }
        storage.connections.give(c, lost);
        if (prepareSent) {
            storage.rollbackPrepared(gid);
        }
    }

    private long[] checkConflicts(Connection c) throws SQLException {
        List<Long> asked = new ArrayList<>(serials.keySet());
        for (Long oid : readChecks.keySet()) {
            if (!serials.containsKey(oid)) {
                asked.add(oid);
            }
        }
        Map<Long, Long> current = currentSerials(c, asked);
        List<Long> resolved = new ArrayList<>();
        for (Map.Entry<Long, Long> e : serials.entrySet()) {
            long oid = e.getKey();
            long serial = e.getValue();
            long now = current.getOrDefault(oid, Storage.NO_TID);
            if (now == serial) {
                continue;
            }
            byte[] merged = serial == Storage.NO_TID || now == Storage.NO_TID ? null
                    : resolver.resolve(oid, exactRevision(c, oid, serial), exactRevision(c, oid, now), data.get(oid));
            if (merged == null) {
                throw new StorageConflictException(oid, serial, now, false);
            }
            data.put(oid, merged);
            resolved.add(oid);
        }
        for (Map.Entry<Long, Long> e : readChecks.entrySet()) {
            if (serials.containsKey(e.getKey())) {
                continue; // the write check covers it
            }
            long now = current.getOrDefault(e.getKey(), Storage.NO_TID);
            if (now != e.getValue()) {
                throw new StorageConflictException(e.getKey(), e.getValue(), now, true);
            }
        }
        return Reads.toArray(resolved);
    }

    private Map<Long, Long> currentSerials(Connection c, List<Long> oids) throws SQLException {
        Map<Long, Long> current = new HashMap<>();
        for (int from = 0; from < oids.size(); from += Reads.BATCH) {
            List<Long> part = oids.subList(from, Math.min(oids.size(), from + Reads.BATCH));
            try (PreparedStatement s = c.prepareStatement(storage.sql.currentSerials)) {
                Array array = c.createArrayOf("bigint", part.toArray());
                s.setArray(1, array);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        current.put(rs.getLong(1), rs.getLong(2));
                    }
                }
            }
        }
        return current;
    }

    private byte[] exactRevision(Connection c, long oid, long revisionTid) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(storage.sql.exactRevision)) {
            s.setLong(1, oid);
            s.setLong(2, revisionTid);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        }
    }

    private void writeRows(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(storage.sql.insertRevision)) {
            int pending = 0;
            for (Map.Entry<Long, byte[]> e : data.entrySet()) {
                s.setLong(1, e.getKey());
                s.setLong(2, tid);
                s.setBytes(3, e.getValue());
                s.addBatch();
                if (++pending == WRITE_BATCH) {
                    s.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                s.executeBatch();
            }
        }
    }

    private void writeTransaction(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(storage.sql.insertTransaction)) {
            s.setLong(1, tid);
            s.setLong(2, copied != null ? copied.timeMillis() : System.currentTimeMillis());
            s.setString(3, copied != null ? copied.user() : metadata.user());
            s.setString(4, copied != null ? copied.note() : metadata.note());
            s.setLong(5, commitId);
            s.executeUpdate();
        }
    }

    private void notify(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            s.setString(1, storage.sql.channel);
            s.setString(2, Long.toString(tid));
            s.execute();
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
                throw new CommitNotDoneException("transaction " + tid + " did not commit in storage " + storage.name()
                        + ": the connection failed as it committed (" + e.getMessage() + ") and the server holds"
                        + " nothing of it. Nothing was stored; run the transaction again.", e);
            }
            storage.committed(tid, previousTid, writtenOids());
            storage.notifyCommitted(tid);
            return tid;
        }
        storage.committed(tid, previousTid, writtenOids());
        storage.hooks.afterCommit(backendPid);
        boolean broken = false;
        if (gid != null) {
            try {
                notify(c);
            } catch (SQLException e) {
                broken = Failures.connectionLost(e); // the commit stands; the listeners' polling catches up
            }
        }
        storage.connections.give(c, broken);
        return tid;
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
        state = State.ENDED;
    }

    private long[] writtenOids() {
        return data.keySet().stream().mapToLong(Long::longValue).toArray();
    }

    private static int backendPid(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private void require(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException(what + " (storage " + storage.name() + ")");
        }
    }
}
