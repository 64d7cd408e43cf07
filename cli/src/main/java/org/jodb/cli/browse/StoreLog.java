package org.jodb.cli.browse;

import java.util.Collection;
import java.util.List;

/**
 * One read of a store's log, as the browser sees it: the committed transactions, every object's revisions and
 * their bytes. Reading it takes no lock and writes nothing; a transaction another process is still writing is
 * not part of it. Closing it lets go of what the read holds (a store directory's mapped files); a storage
 * opened by URL stays open for the next read, since other processes share it anyway.
 */
public interface StoreLog extends AutoCloseable {

    /** One committed transaction and the oids it wrote. */
    record Txn(long tid, long timeMillis, String user, String note, long[] oids) {
    }

    /**
     * One revision of one object: the record {@code tid} wrote. {@code position} and {@code prev} place it in
     * a store directory's log ({@code prev} is -1 when pack removed the revisions before it); a storage opened
     * by URL has no positions and gives 0 for both.
     */
    record Rev(long oid, long tid, long position, int length, long prev) {
        /** Whether pack removed the revisions older than this one. */
        public boolean olderRemoved() {
            return prev == -1;
        }
    }

    /** The store as the pages name it: its directory, or its URL without the password. */
    String name();

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
