package org.jodb.cli.browse;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/**
 * One read of a store's log, as the browser sees it: the committed transactions, every object's revisions and
 * their bytes. Reading it takes no lock and writes nothing; a transaction another process is still writing is
 * not part of it. Closing it unmaps the log's files: the browser holds nothing of the store between requests.
 */
public interface StoreLog extends AutoCloseable {

    /** One committed transaction and the oids it wrote. */
    record Txn(long tid, long timeMillis, String user, String note, long[] oids) {
    }

    /**
     * One revision of one object: the record {@code tid} wrote. {@code position} and {@code prev} place it in
     * the log ({@code prev} is -1 when pack removed the revisions before it).
     */
    record Rev(long oid, long tid, long position, int length, long prev) {
        /** Whether pack removed the revisions older than this one. */
        public boolean olderRemoved() {
            return prev == -1;
        }
    }

    Path directory();

    /** The newest committed tid, or 0 when the log holds no transaction. */
    long lastTid();

    /** Every committed transaction, oldest first. */
    List<Txn> transactions();

    /** Every oid the log holds a revision of, in the order first written. */
    Collection<Long> oids();

    /** The revisions of {@code oid}, oldest first, or {@code null} when the log holds none. */
    List<Rev> revisions(long oid);

    /**
     * A revision's record, checked against its CRC32C.
     *
     * @throws org.jodb.spi.CorruptStorageException naming the file and offset when it does not match
     */
    byte[] data(Rev revision);

    /** The registry entry (a class name or field layout) stored at {@code oid}, or {@code null}. */
    String entry(long oid);

    /** What could not be read (damaged records), each naming the file and offset; empty for a sound log. */
    List<String> problems();

    @Override
    void close();
}
