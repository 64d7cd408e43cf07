package org.jodb.postgres;

import java.sql.PreparedStatement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.jodb.spi.StorageException;

/**
 * Sends the notification of commits that could not notify inside their own database transaction (a prepared
 * transaction may not; a commit settled after a lost connection), off the committing thread: finish returns
 * after COMMIT PREPARED without waiting for a round trip it does not need. A commit whose records are known
 * here is notified as the vote function notifies a commit ({@link #payload}: its previous tid and oids, and for a
 * small one its records), so that the other processes' polls and record caches need no query for it; when
 * commits come faster than notifications go (more than {@value #MAX_QUEUED} waiting), the queue gives way to
 * the newest tid alone. Best effort: a notification that fails is not sent again (the listeners also ask the
 * server each second they hear nothing).
 */
final class CommitNotifier {
    /** Notifications waiting beyond which only the newest tid is sent. */
    static final int MAX_QUEUED = 1_000;
    private static final HexFormat HEX = HexFormat.of();

    private final PostgresStorage storage;
    private final Thread thread;
    /** Payloads to send, oldest first; guarded by this. */
    private final ArrayDeque<String> queued = new ArrayDeque<>();
    private boolean closed;

    CommitNotifier(PostgresStorage storage) {
        this.storage = storage;
        this.thread = new Thread(this::run, "jodb-postgres-notifier " + storage.name());
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * What the vote function would have notified for commit {@code tid}, which followed {@code previousTid}
     * and wrote {@code written} (oid to record; null when unknown here, as for records that were staged):
     * {@code "<tid> <previous tid> <oid>:<hex> ..."} for at most {@value VoteFunction#MAX_NOTIFIED_RECORDS}
     * records of at most {@value VoteFunction#MAX_NOTIFIED_BYTES} bytes, {@code "<tid> <previous tid> <oid>
     * ..."} for at most {@value VoteFunction#MAX_NOTIFIED_OIDS} oids, else {@code "<tid>"}.
     */
    static String payload(long tid, long previousTid, Map<Long, byte[]> written) {
        if (written == null || written.size() > VoteFunction.MAX_NOTIFIED_OIDS) {
            return Long.toString(tid);
        }
        long bytes = 0;
        for (byte[] r : written.values()) {
            bytes += r.length;
        }
        boolean records = written.size() <= VoteFunction.MAX_NOTIFIED_RECORDS
                && bytes <= VoteFunction.MAX_NOTIFIED_BYTES;
        StringBuilder b = new StringBuilder().append(tid).append(' ').append(previousTid);
        for (Map.Entry<Long, byte[]> e : written.entrySet()) {
            b.append(' ').append(e.getKey());
            if (records) {
                b.append(':').append(HEX.formatHex(e.getValue()));
            }
        }
        return b.toString();
    }

    /** Asks for the notification {@code payload} of commit {@code tid} (see {@link #payload}); returns at once. */
    synchronized void committed(long tid, String payload) {
        if (queued.size() >= MAX_QUEUED) {
            queued.clear(); // the newest tid alone tells the listeners to ask the server
            queued.add(Long.toString(tid));
        } else {
            queued.add(payload);
        }
        notifyAll();
    }

    private void run() {
        while (true) {
            List<String> batch;
            synchronized (this) {
                while (!closed && queued.isEmpty()) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                batch = new ArrayList<>(queued);
                queued.clear();
            }
            notifyNow(batch);
        }
    }

    /** Sends {@code payloads} on this thread, in order (best effort). */
    private void notifyNow(List<String> payloads) {
        try {
            storage.run("notify " + payloads.size() + " commit(s)", c -> {
                try (PreparedStatement s = c.prepareStatement("SELECT pg_notify(?, ?)")) {
                    for (String payload : payloads) {
                        s.setString(1, storage.sql.channel);
                        s.setString(2, payload);
                        s.execute();
                    }
                }
                return null;
            });
        } catch (StorageException | IllegalStateException e) {
            // the commits stand; the listeners' own polling catches up
        }
    }

    /** Stops the thread, after sending on this thread what it had not sent yet (the storage is still open). */
    void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        try {
            thread.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<String> last;
        synchronized (this) {
            last = new ArrayList<>(queued);
            queued.clear();
        }
        if (!last.isEmpty()) {
            notifyNow(last);
        }
    }
}
