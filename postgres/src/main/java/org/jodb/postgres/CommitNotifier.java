package org.jodb.postgres;

import java.sql.PreparedStatement;
import org.jodb.spi.StorageException;

/**
 * Sends the notification of commits that could not notify inside their own database transaction (a prepared
 * transaction may not; a commit settled after a lost connection), off the committing thread: finish returns
 * after COMMIT PREPARED without waiting for a round trip it does not need. The listeners only take the newest
 * tid they hear of, so when commits come faster than notifications go, only the newest is sent. Best effort:
 * a notification that fails is not sent again (the listeners also ask the server each second they hear
 * nothing).
 */
final class CommitNotifier {
    private final PostgresStorage storage;
    private final Thread thread;
    /** The newest tid to notify, and the newest notified; guarded by this. */
    private long wanted;
    private long sent;
    private boolean closed;

    CommitNotifier(PostgresStorage storage) {
        this.storage = storage;
        this.thread = new Thread(this::run, "jodb-postgres-notifier " + storage.name());
        thread.setDaemon(true);
        thread.start();
    }

    /** Asks for the notification of {@code tid}; returns at once. */
    synchronized void committed(long tid) {
        if (tid > wanted) {
            wanted = tid;
            notifyAll();
        }
    }

    private void run() {
        while (true) {
            long tid;
            synchronized (this) {
                while (!closed && wanted <= sent) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                tid = wanted;
                sent = tid;
            }
            notifyNow(tid);
        }
    }

    /** Sends the notification of commit {@code tid} on this thread (best effort). */
    private void notifyNow(long tid) {
        try {
            storage.run("notify commit " + tid, c -> {
                try (PreparedStatement s = c.prepareStatement("SELECT pg_notify(?, ?)")) {
                    s.setString(1, storage.sql.channel);
                    s.setString(2, Long.toString(tid));
                    s.execute();
                }
                return null;
            });
        } catch (StorageException | IllegalStateException e) {
            // the commit stands; the listeners' own polling catches up
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
        long last;
        synchronized (this) {
            last = wanted > sent ? wanted : 0;
            sent = wanted;
        }
        if (last > 0) {
            notifyNow(last);
        }
    }
}
