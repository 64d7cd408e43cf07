package org.jodb.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * One thread and one connection per storage that learn of every commit, in any process, without the views
 * asking: the connection LISTENs on the schema's channel, where each commit NOTIFYs its tid (most also the tid
 * before it and the oids they wrote), and tells the storage what it heard. While it listens, a view's poll with nothing newer answers without a
 * round trip. A notification can be missed (a committer that dies between COMMIT PREPARED and NOTIFY), so
 * when a second passes without any, the listener asks for the last tid itself. The same connection holds the
 * storage's owner lock, which tells other processes that this storage is alive (its prepared transactions
 * are not abandoned). When the connection fails the views ask the server at every poll until it is back.
 */
final class CommitListener {
    private static final int GUARD_MILLIS = 1_000;
    private static final HexFormat HEX = HexFormat.of();
    private static final long RECONNECT_PAUSE_MILLIS = 500;

    private final PostgresStorage storage;
    private final Thread thread;
    private volatile Connection connection;
    /** Which connection of the listener is live (counts reconnections), or 0 while none is. */
    private volatile long liveGeneration;
    private long generations;
    private volatile boolean closed;

    CommitListener(PostgresStorage storage) {
        this.storage = storage;
        this.thread = new Thread(this::run, "jodb-postgres-listener " + storage.name());
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /**
     * The generation of the live listening connection, 0 when none: a view that asked the server while
     * generation g was live may trust the listener for as long as g stays live.
     */
    long liveGeneration() {
        return liveGeneration;
    }

    private void run() {
        while (!closed) {
            Connection c = null;
            try {
                c = storage.connections.dedicated();
                connection = c;
                takeOwnerLock(c);
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN \"" + storage.sql.channel + "\"");
                }
                // notifications sent before LISTEN (or while the connection was down) never come: the record
                // cache starts again from the last tid
                storage.heardTidAlone(storage.reads.lastTid(c));
                liveGeneration = ++generations;
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] heard = pg.getNotifications(GUARD_MILLIS);
                    if (heard == null || heard.length == 0) {
                        storage.observed(storage.reads.lastTid(c));
                        continue;
                    }
                    for (PGNotification n : heard) {
                        heard(n.getParameter());
                    }
                }
            } catch (SQLException | RuntimeException e) {
                // the views ask the server at each poll until the listener is back
            } finally {
                liveGeneration = 0;
                connection = null;
                if (c != null) {
                    release(c);
                }
            }
            if (!closed) {
                try {
                    Thread.sleep(RECONNECT_PAUSE_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /**
     * A notification: {@code "<tid>"}, or {@code "<tid> <previous tid> <oid> ..."} or {@code "<tid> <previous tid>
     * <oid>:<record in hex> ..."} from the vote function, which tells the storage what the commit wrote (for a
     * small commit, the records too) and that no commit lies between the two tids.
     */
    private void heard(String payload) {
        String[] parts = payload.split(" ");
        long tid = Long.parseLong(parts[0]);
        if (parts.length == 1) {
            storage.heardTidAlone(tid);
            return;
        }
        long[] oids = new long[parts.length - 2];
        byte[][] records = oids.length > 0 && parts[2].indexOf(':') >= 0 ? new byte[oids.length][] : null;
        for (int i = 0; i < oids.length; i++) {
            String part = parts[i + 2];
            int colon = part.indexOf(':');
            if (records == null) {
                oids[i] = Long.parseLong(part);
            } else {
                oids[i] = Long.parseLong(part, 0, colon, 10);
                records[i] = HEX.parseHex(part, colon + 1, part.length());
            }
        }
        storage.heardCommit(tid, Long.parseLong(parts[1]), oids, records);
    }

    private void takeOwnerLock(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
            s.setInt(1, storage.keys.ownerClass());
            s.setInt(2, storage.owner);
            try (ResultSet rs = s.executeQuery()) {
                rs.next(); // false only if another storage drew the same owner number; it then guards for both
            }
        }
    }

    /** Leaves the connection as it found it (it may belong to an application's pool) and closes it. */
    private void release(Connection c) {
        try (Statement s = c.createStatement()) {
            if (!c.isClosed()) {
                s.execute("UNLISTEN *");
                s.execute("SELECT pg_advisory_unlock_all()");
            }
        } catch (SQLException | RuntimeException ignored) {
            // a broken connection holds nothing any more
        }
        DriverPool.quietlyClose(c);
    }

    void close() {
        closed = true;
        Connection c = connection;
        if (c != null && storage.connections instanceof DriverPool) {
            DriverPool.quietlyClose(c); // ends the listening at once; the session's locks end with it
        }
        thread.interrupt();
        try {
            thread.join(3L * GUARD_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
