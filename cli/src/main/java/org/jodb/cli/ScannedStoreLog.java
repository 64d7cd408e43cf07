package org.jodb.cli;

import java.nio.file.Path;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.jodb.cli.browse.StoreLog;
import org.jodb.storage.internal.log.LogLayout;
import org.jodb.storage.internal.log.LogPosition;
import org.jodb.storage.internal.log.Segment;

/**
 * The browser's access to a store: a {@link LogScan} seen through {@link StoreLog}, so that the browse package
 * needs none of this package's types. The walk is the one of the commands that only look, in its mode for a
 * store another process may have open: it takes no lock and ends at the last complete transaction.
 */
public final class ScannedStoreLog implements StoreLog {
    private final LogScan scan;
    private final List<String> problems = new ArrayList<>();

    private ScannedStoreLog(LogScan scan) {
        this.scan = scan;
        problems.addAll(scan.problems);
        String tail = unreadTail(scan);
        if (tail != null) {
            problems.add(tail);
        }
    }

    /**
     * The walk for a store another process may have open takes bad bytes at the end of the last segment for
     * a commit in progress and stops there; said here, so that a page does not pass a damaged log's end off
     * as its newest state.
     */
    private static String unreadTail(LogScan scan) {
        int id = LogPosition.segment(scan.logEnd);
        int offset = LogPosition.offset(scan.logEnd);
        for (Segment s : scan.segments) {
            if (s.id == id && offset <= s.capacity - 4 && s.getInt(offset) != LogLayout.END_MAGIC
                    && s.nonZeroEnd(offset) != offset) {
                return s.file + " offset " + offset + ": bytes follow the last complete transaction: a commit"
                        + " the process that has the store open is writing, or a damaged transaction (then the"
                        + " transactions after it are not shown). Reload the page; if this stays, run `jodb verify "
                        + scan.store.path + "`.";
            }
        }
        return null;
    }

    /**
     * Checks that {@code name} is a store directory.
     *
     * @return its path
     * @throws RuntimeException whose message says what is wrong and how to name a store
     */
    public static Path checkStore(String name) {
        return StoreDir.of(name).path;
    }

    /**
     * Reads the store's log as it is now.
     *
     * @throws RuntimeException whose message says what is wrong (the directory is gone, no segment can be read)
     */
    public static StoreLog read(Path store) {
        return new ScannedStoreLog(LogScan.of(StoreDir.of(store.toString()), true, Progress.NONE));
    }

    @Override
    public String name() {
        return scan.store.path.toString();
    }

    @Override
    public long lastTid() {
        return scan.lastTid;
    }

    @Override
    public List<Txn> transactions() {
        return new AbstractList<>() {
            @Override
            public Txn get(int index) {
                LogScan.Txn t = scan.transactions.get(index);
                return new Txn(t.tid(), t.timeMillis(), t.user(), t.note(), t.oids());
            }

            @Override
            public int size() {
                return scan.transactions.size();
            }
        };
    }

    @Override
    public Collection<Long> oids() {
        return scan.revisions.keySet();
    }

    @Override
    public List<Rev> revisions(long oid) {
        List<LogScan.Rev> revs = scan.revisions.get(oid);
        return revs == null ? null
                : revs.stream().map(r -> new Rev(r.oid(), r.tid(), r.position(), r.length(), r.prev())).toList();
    }

    @Override
    public byte[] data(Rev r) {
        return scan.data(new LogScan.Rev(r.oid(), r.tid(), r.position(), r.length(), r.prev()));
    }

    @Override
    public String entry(long oid) {
        return scan.entries.get(oid);
    }

    @Override
    public List<String> problems() {
        return List.copyOf(problems);
    }

    @Override
    public void close() {
        scan.close();
    }
}
